package org.drift4j.serve;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftMonitor;
import org.drift4j.micrometer.DriftMetrics;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DriftServer}'s moving parts: the Jetty server with its one handler behind a
 * {@link GracefulHandler}, the meter binders, the snapshot keeper, and their lifecycle. Thread-safe.
 */
final class ServerRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);

  /** The builder's validated settings. */
  record Options(int port, String bind, String modelName, long maxRequestBytes, int maxImages, long maxImagePixels,
      Path snapshotFile, Duration snapshotInterval, Duration shutdownTimeout, int threads,
      PrometheusMeterRegistry registry, String cloudEventType, String cloudEventSource) {}

  private final Options options;
  private final Server jetty;
  private final ServerConnector connector;
  private final PrometheusMeterRegistry registry;
  private final List<DriftMetrics> binders = new ArrayList<>();
  private final SnapshotKeeper snapshots;
  private final Object lifecycle = new Object();
  private volatile boolean ready;
  private boolean started;
  private boolean stopped;

  ServerRuntime(DriftMonitor monitor, DriftDetector detector, Options o) {
    this.options = o;
    this.registry = o.registry() != null ? o.registry() : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Judge judge = new Judge(monitor, detector);
    Baseline baseline = judge.baseline();
    ServeMetrics metrics = new ServeMetrics(registry, o.modelName());
    this.snapshots = o.snapshotFile() == null ? null
        : new SnapshotKeeper(monitor, o.snapshotFile(), o.snapshotInterval(), Clock.systemUTC(), metrics);
    Routes.Settings settings = new Routes.Settings(o.modelName(), o.maxImages(), o.cloudEventType(),
        o.cloudEventSource(), version());
    ImageDecoding decoding = new ImageDecoding(baseline.shape(), baseline.preprocessing(), o.maxImagePixels());
    Routes routes = new Routes(settings, judge, new Bodies(o.maxRequestBytes(), o.maxImages()),
        new Payloads(baseline.shape(), baseline.preprocessing(), decoding, o.maxImages()), decoding, metrics,
        new Descriptions(settings, judge, snapshots, registry, o.maxRequestBytes(), o.maxImagePixels()),
        () -> ready);
    QueuedThreadPool threads = new QueuedThreadPool(o.threads(), Math.min(4, o.threads()));
    threads.setName("drift4j-serve");
    this.jetty = new Server(threads);
    this.connector = new ServerConnector(jetty, 1, 1);
    connector.setHost(o.bind());
    connector.setPort(o.port());
    jetty.addConnector(connector);
    jetty.setHandler(new GracefulHandler(routes));
    jetty.setStopTimeout(o.shutdownTimeout().toMillis());
    jetty.setStopAtShutdown(false);
    if (monitor != null) {
      binders.add(DriftMetrics.of(monitor, o.modelName()));
    }
    if (detector != null) {
      binders.add(DriftMetrics.of(detector, o.modelName()));
    }
  }

  void start() throws IOException {
    synchronized (lifecycle) {
      if (started) {
        throw new IllegalStateException("a DriftServer starts once; build another to start again");
      }
      started = true;
      if (snapshots != null) {
        snapshots.restore();
      }
      binders.forEach(m -> m.bindTo(registry));
      try {
        jetty.start();
      } catch (IOException e) {
        stopQuietly();
        throw new IOException("could not listen on " + options.bind() + ":" + options.port() + ": " + e.getMessage(), e);
      } catch (Exception e) {
        stopQuietly();
        throw new IllegalStateException("the HTTP server did not start: " + e.getMessage(), e);
      }
      if (snapshots != null) {
        snapshots.start();
      }
      ready = true;
      LOG.info("drift4j serve: listening on {} for model {}", uri(), options.modelName());
    }
  }

  private void stopQuietly() {
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.debug("drift4j serve: stopping after a failed start", e);
    }
  }

  int port() {
    return connector.getLocalPort();
  }

  URI uri() {
    String host = options.bind().contains(":") ? "[" + options.bind() + "]" : options.bind();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  boolean isReady() {
    return ready;
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  void close() {
    synchronized (lifecycle) {
      if (stopped || !started) {
        stopped = true;
        return;
      }
      stopped = true;
      ready = false;
      try {
        jetty.stop();
      } catch (Exception e) {
        LOG.warn("drift4j serve: the HTTP server did not stop cleanly", e);
      }
      if (snapshots != null) {
        snapshots.stop();
      }
      binders.forEach(DriftMetrics::close);
      if (options.registry() == null) {
        registry.close();
      }
      LOG.info("drift4j serve: stopped");
    }
  }

  private static String version() {
    try (InputStream in = ServerRuntime.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String toString() {
    return options.bind() + ":" + (started ? port() : options.port()) + ", model " + options.modelName()
        + (ready ? ", ready" : "");
  }
}
