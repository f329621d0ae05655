package org.drift4j.serve;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.drift4j.DriftDetector;
import org.drift4j.DriftMonitor;

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
 * taking requests, lets those in flight finish (up to {@link DriftServerBuilder#shutdownTimeout}), then writes
 * the monitor's snapshot; {@link #start()} restores it, and sets a corrupt or foreign file aside
 * (renamed, with a warning) instead of loading any of it; snapshots are also written every
 * {@link DriftServerBuilder#snapshotInterval}, each atomically, so a crash loses at most that interval.
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

  DriftServer(DriftServerBuilder b) {
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
  public static DriftServerBuilder builder(DriftMonitor monitor) {
    return new DriftServerBuilder(Objects.requireNonNull(monitor, "monitor"), null);
  }

  /**
   * A builder for a server that checks each request on its own with {@code detector} (no
   * stream, no snapshots).
   *
   * @param detector the detector
   * @return a new builder
   */
  public static DriftServerBuilder builder(DriftDetector detector) {
    return new DriftServerBuilder(null, Objects.requireNonNull(detector, "detector"));
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
}
