package org.drift4j.serve;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftMonitor;
import org.drift4j.ImagePreprocessing;

/**
 * A drift detection server for model-serving platforms: it scores the images of inference
 * requests mirrored to it (KServe's and Seldon's payload loggers, or any client) with a
 * {@link DriftMonitor} (the stream as a whole) or a {@link DriftDetector} (each request alone),
 * and answers each with the result as JSON.
 *
 * <pre>{@code
 * DriftServer server = DriftServer.builder(monitor)      // DriftMonitor.builder(autoencoder, baseline)...build()
 *     .detector(detector)                                 // optional: POST /v1/check
 *     .port(8080)                                         // 0: any free port; see port()
 *     .snapshotFile(Path.of("state/monitor-snapshot.json"))
 *     .build()
 *     .start();
 * Runtime.getRuntime().addShutdownHook(new Thread(server::close));
 * }</pre>
 *
 * <p>Endpoints (docs/serve.md has examples of each): {@code POST /v2/models/<name>/infer} (Open
 * Inference Protocol v2 body, or a v1 {@code {"instances": [...]}} body), {@code POST /} (the same
 * bodies as binary-mode CloudEvents, answered with a CloudEvent), {@code POST /v1/observe} and
 * {@code POST /v1/check} (PNG or JPEG, one image or {@code multipart/form-data}), {@code GET
 * /metrics} (Prometheus text), {@code GET /v1/status}, {@code GET /health/live|ready}, and the
 * protocol's {@code /v2/health/*}, {@code /v2}, {@code /v2/models/<name>[/ready]}. Refusals are
 * {@code {"error": ..., "reason": ...}} with 400 (malformed), 413 (a limit, named), 415, 422
 * (shape, expected and found), 404 or 405, and are counted by reason in {@code /metrics}.
 *
 * <p>Operations: bound to {@value #DEFAULT_BIND} unless told otherwise; {@link #close()} stops
 * taking requests, lets those in flight finish (up to {@link Builder#shutdownTimeout}), then writes
 * the monitor's snapshot; {@link #start()} restores it, and sets a corrupt or foreign file aside
 * (renamed, with a warning) instead of loading any of it; snapshots are also written every
 * {@link Builder#snapshotInterval}, each atomically, so a crash loses at most that interval.
 *
 * <p>Thread-safe. The server never closes the monitor, detector or autoencoder it was given; it
 * closes the meter registry only if it made it.
 */
public final class DriftServer implements AutoCloseable {

  /** Default port. */
  public static final int DEFAULT_PORT = 8080;
  /** Default address to bind: loopback only. */
  public static final String DEFAULT_BIND = "127.0.0.1";
  /** Default model name in {@code /v2/models/<name>}. */
  public static final String DEFAULT_MODEL_NAME = "drift4j";
  /** Default largest request body, in bytes (16 MiB). */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 16L << 20;
  /** Default most images per request. */
  public static final int DEFAULT_MAX_IMAGES = 1024;
  /** Default most pixels of one encoded image (4096 × 4096), checked before it is decoded. */
  public static final long DEFAULT_MAX_IMAGE_PIXELS = 4096L * 4096;
  /** Default interval between snapshots while images arrive. */
  public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofSeconds(30);
  /** Default time given to requests in flight at shutdown. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  /** Default most request threads. */
  public static final int DEFAULT_THREADS = 32;
  /** Default {@code ce-type} of reply events, the type alibi-detect's drift servers were run with. */
  public static final String DEFAULT_CLOUDEVENT_TYPE = "io.seldon.serving.inference.drift";

  private final ServerRuntime runtime;

  private DriftServer(Builder b) {
    this.runtime = new ServerRuntime(b.monitor, b.detector, new ServerRuntime.Options(b.port, b.bind, b.modelName,
        b.maxRequestBytes, b.maxImages, b.maxImagePixels, b.snapshotFile, b.snapshotInterval, b.shutdownTimeout,
        b.threads, b.registry, b.cloudEventType,
        b.cloudEventSource != null ? b.cloudEventSource : "org.drift4j.serve." + b.modelName));
  }

  /**
   * A builder for a server whose stream endpoints feed {@code monitor}.
   *
   * @param monitor the monitor of the request stream
   * @return a new builder
   */
  public static Builder builder(DriftMonitor monitor) {
    return new Builder(Objects.requireNonNull(monitor, "monitor"), null);
  }

  /**
   * A builder for a server that checks each request on its own with {@code detector} (no
   * stream, no snapshots).
   *
   * @param detector the detector
   * @return a new builder
   */
  public static Builder builder(DriftDetector detector) {
    return new Builder(null, Objects.requireNonNull(detector, "detector"));
  }

  /**
   * Restores the monitor's snapshot (if any), binds the port and starts answering.
   *
   * @return this server
   * @throws IOException if the port cannot be bound
   * @throws IllegalStateException if the server was started before
   * @throws java.io.UncheckedIOException if a snapshot exists but can be neither read nor set aside
   */
  public DriftServer start() throws IOException {
    runtime.start();
    return this;
  }

  /** {@return the port the server listens on (the one chosen when built with port 0), or -1 before start} */
  public int port() {
    return runtime.port();
  }

  /** {@return the server's base URI, e.g. {@code http://127.0.0.1:8080/}} */
  public URI uri() {
    return runtime.uri();
  }

  /** {@return whether the server is started and not stopping: what {@code /health/ready} says} */
  public boolean isReady() {
    return runtime.isReady();
  }

  /** {@return the registry {@code /metrics} scrapes} */
  public PrometheusMeterRegistry meterRegistry() {
    return runtime.registry();
  }

  /**
   * Stops gracefully: readiness turns false, new requests are refused with 503, requests in flight
   * finish (up to the shutdown timeout), then the monitor's snapshot is written. Idempotent.
   */
  @Override
  public void close() {
    runtime.close();
  }

  @Override
  public String toString() {
    return "DriftServer[" + runtime + "]";
  }

  /**
   * Builds a {@link DriftServer}: each setter validates at once and says what was wrong;
   * {@link #build()} checks that the parts fit. Not thread-safe; the server it builds is.
   */
  public static final class Builder {
    private final DriftMonitor monitor;
    private DriftDetector detector;
    private int port = DEFAULT_PORT;
    private String bind = DEFAULT_BIND;
    private String modelName = DEFAULT_MODEL_NAME;
    private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private int maxImages = DEFAULT_MAX_IMAGES;
    private long maxImagePixels = DEFAULT_MAX_IMAGE_PIXELS;
    private Path snapshotFile;
    private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private int threads = DEFAULT_THREADS;
    private ImagePreprocessing preprocessing;
    private PrometheusMeterRegistry registry;
    private String cloudEventType = DEFAULT_CLOUDEVENT_TYPE;
    private String cloudEventSource;

    private Builder(DriftMonitor monitor, DriftDetector detector) {
      this.monitor = monitor;
      this.detector = detector;
    }

    /**
     * The detector of {@code POST /v1/check}, which tests a request's images as one batch, outside
     * the monitor's stream.
     *
     * @param detector a detector of the monitor's model and image shape
     * @return this builder
     */
    public Builder detector(DriftDetector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /**
     * The TCP port; default {@value #DEFAULT_PORT}.
     *
     * @param port 0 for any free port ({@link DriftServer#port()} tells which), or 1–65535
     * @return this builder
     * @throws IllegalArgumentException if {@code port} is outside 0–65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The address to listen on; default {@value #DEFAULT_BIND}, reachable from this machine only.
     * {@code 0.0.0.0} listens on every interface (inside a container or a pod, what a sidecar or
     * a logger needs).
     *
     * @param address an IP address or host name
     * @return this builder
     * @throws IllegalArgumentException if {@code address} is blank
     */
    public Builder bind(String address) {
      this.bind = requireText("bind", address);
      return this;
    }

    /**
     * The model's name in {@code /v2/models/<name>}, the {@code name} tag of the meters and the
     * default reply event source; default {@value #DEFAULT_MODEL_NAME}.
     *
     * @param name letters, digits, '.', '_' or '-'
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is empty or holds another character
     */
    public Builder modelName(String name) {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("modelName must be letters, digits, '.', '_' or '-', but was \"" + name + "\"");
      }
      this.modelName = name;
      return this;
    }

    /**
     * The largest request body; longer ones are refused with 413; default 16 MiB.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is below 1 or above 1 GiB
     */
    public Builder maxRequestBytes(long bytes) {
      if (bytes < 1 || bytes > 1L << 30) {
        throw new IllegalArgumentException("maxRequestBytes must be between 1 and 1073741824, but was " + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * The most images in one request; more are refused with 413; default {@value #DEFAULT_MAX_IMAGES}.
     *
     * @param images at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code images} is below 1 or above 1,000,000
     */
    public Builder maxImages(int images) {
      if (images < 1 || images > 1_000_000) {
        throw new IllegalArgumentException("maxImages must be between 1 and 1000000, but was " + images);
      }
      this.maxImages = images;
      return this;
    }

    /**
     * The most pixels of one encoded image, read from its header before it is decoded; larger
     * ones are refused with 413; default 4096 × 4096.
     *
     * @param pixels at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code pixels} is below 1
     */
    public Builder maxImagePixels(long pixels) {
      if (pixels < 1) {
        throw new IllegalArgumentException("maxImagePixels must be at least 1, but was " + pixels);
      }
      this.maxImagePixels = pixels;
      return this;
    }

    /**
     * Where the monitor's state is kept across restarts: restored at {@link DriftServer#start()},
     * written every {@link #snapshotInterval} and at shutdown; default none.
     *
     * @param file the snapshot file (its folder is created when missing)
     * @return this builder
     */
    public Builder snapshotFile(Path file) {
      this.snapshotFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * How often a snapshot is written while images arrive; {@link Duration#ZERO} writes only at
     * shutdown; default 30 s.
     *
     * @param interval zero, or at least 10 ms
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is negative or between 0 and 10 ms
     */
    public Builder snapshotInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 10)) {
        throw new IllegalArgumentException("snapshotInterval must be zero or at least 10 ms, but was " + interval);
      }
      this.snapshotInterval = interval;
      return this;
    }

    /**
     * How long {@link DriftServer#close()} waits for requests in flight; default 10 s.
     *
     * @param timeout not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Builder shutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must not be negative, but was " + timeout);
      }
      this.shutdownTimeout = timeout;
      return this;
    }

    /**
     * The most threads of the server's pool, which read and score requests; default
     * {@value #DEFAULT_THREADS}.
     *
     * @param threads at least 4 (one accepts, one selects, the rest serve)
     * @return this builder
     * @throws IllegalArgumentException if {@code threads} is below 4 or above 1,000
     */
    public Builder threads(int threads) {
      if (threads < 4 || threads > 1_000) {
        throw new IllegalArgumentException("threads must be between 4 and 1000, but was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * How encoded images are made into the model's input; default, and the only value accepted,
     * the baseline's ({@link Baseline#preprocessing()}): a monitor refuses images made another way.
     * Setting it states an expectation that {@link #build()} checks.
     *
     * @param preprocessing the preprocessing
     * @return this builder
     */
    public Builder preprocessing(ImagePreprocessing preprocessing) {
      this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
      return this;
    }

    /**
     * The registry {@code /metrics} scrapes, e.g. one the application also uses; default a new
     * one, closed with the server.
     *
     * @param registry the registry (the server never closes one it was given)
     * @return this builder
     */
    public Builder meterRegistry(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The {@code ce-type} of reply events; default {@value #DEFAULT_CLOUDEVENT_TYPE}.
     *
     * @param type the event type
     * @return this builder
     * @throws IllegalArgumentException if {@code type} is blank
     */
    public Builder cloudEventType(String type) {
      this.cloudEventType = requireText("cloudEventType", type);
      return this;
    }

    /**
     * The {@code ce-source} of reply events; default {@code org.drift4j.serve.<model name>}.
     *
     * @param source the event source
     * @return this builder
     * @throws IllegalArgumentException if {@code source} is blank
     */
    public Builder cloudEventSource(String source) {
      this.cloudEventSource = requireText("cloudEventSource", source);
      return this;
    }

    /**
     * Builds the server; {@link DriftServer#start()} starts it.
     *
     * @return the server
     * @throws IllegalArgumentException if the detector's baseline has another shape, model or
     *     preprocessing than the monitor's, the preprocessing differs from the baseline's, or a
     *     snapshot file is set for a server without a monitor
     */
    public DriftServer build() {
      if (monitor != null && detector != null) {
        Baseline m = monitor.baseline();
        Baseline d = detector.baseline();
        if (!m.shape().equals(d.shape()) || !m.autoencoderFingerprint().equals(d.autoencoderFingerprint())
            || !m.preprocessing().equals(d.preprocessing())) {
          throw new IllegalArgumentException("the detector must score the monitor's model, shape and preprocessing ("
              + m.autoencoderFingerprint() + ", " + m.shape() + ", " + m.preprocessing() + "), but scores "
              + d.autoencoderFingerprint() + ", " + d.shape() + ", " + d.preprocessing());
        }
      }
      Baseline baseline = monitor != null ? monitor.baseline() : detector.baseline();
      if (preprocessing != null && !preprocessing.equals(baseline.preprocessing())) {
        throw new IllegalArgumentException("preprocessing must be the baseline's, " + baseline.preprocessing()
            + " (its images were made so, and the monitor refuses others), but was " + preprocessing);
      }
      if (snapshotFile != null && monitor == null) {
        throw new IllegalArgumentException("snapshotFile needs a monitor: a server of a detector alone keeps no state");
      }
      return new DriftServer(this);
    }

    private static String requireText(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
