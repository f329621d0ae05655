package org.drift4j.serve;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftMonitor;
import org.drift4j.ImagePreprocessing;

/**
 * Builds a {@link DriftServer}: each setter validates at once and says what was wrong;
 * {@link #build()} checks that the parts fit. Not thread-safe; the server it builds is.
 */
public final class DriftServerBuilder {
  final DriftMonitor monitor;
  DriftDetector detector;
  int port = DriftServer.DEFAULT_PORT;
  String bind = DriftServer.DEFAULT_BIND;
  String modelName = DriftServer.DEFAULT_MODEL_NAME;
  long maxRequestBytes = DriftServer.DEFAULT_MAX_REQUEST_BYTES;
  int maxImages = DriftServer.DEFAULT_MAX_IMAGES;
  long maxImagePixels = DriftServer.DEFAULT_MAX_IMAGE_PIXELS;
  Path snapshotFile;
  Duration snapshotInterval = DriftServer.DEFAULT_SNAPSHOT_INTERVAL;
  Duration shutdownTimeout = DriftServer.DEFAULT_SHUTDOWN_TIMEOUT;
  int threads = DriftServer.DEFAULT_THREADS;
  ImagePreprocessing preprocessing;
  PrometheusMeterRegistry registry;
  String cloudEventType = DriftServer.DEFAULT_CLOUDEVENT_TYPE;
  String cloudEventSource;

  DriftServerBuilder(DriftMonitor monitor, DriftDetector detector) {
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
  public DriftServerBuilder detector(DriftDetector detector) {
    this.detector = Objects.requireNonNull(detector, "detector");
    return this;
  }

  /**
   * The TCP port; default {@value DriftServer#DEFAULT_PORT}.
   *
   * @param port 0 for any free port ({@link DriftServer#port()} tells which), or 1–65535
   * @return this builder
   * @throws IllegalArgumentException if {@code port} is outside 0–65535
   */
  public DriftServerBuilder port(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * The address to listen on; default {@value DriftServer#DEFAULT_BIND}, reachable from this machine only.
   * {@code 0.0.0.0} listens on every interface (inside a container or a pod, what a sidecar or
   * a logger needs).
   *
   * @param address an IP address or host name
   * @return this builder
   * @throws IllegalArgumentException if {@code address} is blank
   */
  public DriftServerBuilder bind(String address) {
    this.bind = requireText("bind", address);
    return this;
  }

  /**
   * The model's name in {@code /v2/models/<name>}, the {@code name} tag of the meters and the
   * default reply event source; default {@value DriftServer#DEFAULT_MODEL_NAME}.
   *
   * @param name letters, digits, '.', '_' or '-'
   * @return this builder
   * @throws IllegalArgumentException if {@code name} is empty or holds another character
   */
  public DriftServerBuilder modelName(String name) {
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
  public DriftServerBuilder maxRequestBytes(long bytes) {
    if (bytes < 1 || bytes > 1L << 30) {
      throw new IllegalArgumentException("maxRequestBytes must be between 1 and 1073741824, but was " + bytes);
    }
    this.maxRequestBytes = bytes;
    return this;
  }

  /**
   * The most images in one request; more are refused with 413; default {@value DriftServer#DEFAULT_MAX_IMAGES}.
   *
   * @param images at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code images} is below 1 or above 1,000,000
   */
  public DriftServerBuilder maxImages(int images) {
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
  public DriftServerBuilder maxImagePixels(long pixels) {
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
  public DriftServerBuilder snapshotFile(Path file) {
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
  public DriftServerBuilder snapshotInterval(Duration interval) {
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
  public DriftServerBuilder shutdownTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("shutdownTimeout must not be negative, but was " + timeout);
    }
    this.shutdownTimeout = timeout;
    return this;
  }

  /**
   * The most threads of the server's pool, which read and score requests; default
   * {@value DriftServer#DEFAULT_THREADS}.
   *
   * @param threads at least 4 (one accepts, one selects, the rest serve)
   * @return this builder
   * @throws IllegalArgumentException if {@code threads} is below 4 or above 1,000
   */
  public DriftServerBuilder threads(int threads) {
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
  public DriftServerBuilder preprocessing(ImagePreprocessing preprocessing) {
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
  public DriftServerBuilder meterRegistry(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * The {@code ce-type} of reply events; default {@value DriftServer#DEFAULT_CLOUDEVENT_TYPE}.
   *
   * @param type the event type
   * @return this builder
   * @throws IllegalArgumentException if {@code type} is blank
   */
  public DriftServerBuilder cloudEventType(String type) {
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
  public DriftServerBuilder cloudEventSource(String source) {
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
