package org.drift4j.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftDetector;
import org.drift4j.DriftDetectorConfig;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.DriftPolicy;
import org.drift4j.ImagePreprocessing;
import org.drift4j.MonitorCalibrationCache;
import org.drift4j.serve.DriftServer;
import org.drift4j.serve.DriftServerBuilder;
import org.drift4j.spi.Autoencoder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: a drift server for a model folder ({@link DriftServer}): a monitor of the request
 * stream, a detector for {@code /v1/check}, snapshots beside the model; runs until SIGTERM or
 * Ctrl-C, then stops gracefully and writes the snapshot.
 */
@Command(name = "serve", description = "Serve drift detection over HTTP: Open Inference Protocol v2/v1 payloads at"
    + " /v2/models/<name>/infer, payload-logger CloudEvents at /, PNG/JPEG at /v1/observe and /v1/check, Prometheus"
    + " text at /metrics. Runs until SIGTERM or Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

  static final String SNAPSHOT_FILE = "monitor-snapshot.json";

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "folder written by 'train'")
  Path model;

  @Option(names = "--engine", paramLabel = "dl4j|onnx",
      description = "scoring engine; default: onnx when the model folder has model.onnx, else dl4j")
  String engine;

  @Option(names = "--port", defaultValue = "" + DriftServer.DEFAULT_PORT, paramLabel = "P",
      description = "TCP port, 0 for any free one (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--bind", defaultValue = DriftServer.DEFAULT_BIND, paramLabel = "ADDRESS",
      description = "address to listen on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 in a pod)")
  String bind;

  @Option(names = "--name", defaultValue = DriftServer.DEFAULT_MODEL_NAME, paramLabel = "NAME",
      description = "model name in /v2/models/<name> and the meters' name tag (default ${DEFAULT-VALUE})")
  String name;

  @CommandLine.Mixin
  RunTimeOptions runTime;

  @Option(names = "--alpha", defaultValue = "0.01", paramLabel = "A",
      description = "false-alarm rate of /v1/check's test of one batch (default ${DEFAULT-VALUE})")
  double alpha;

  @Option(names = "--resize", paramLabel = "bilinear|area|nearest",
      description = "how PNG/JPEG images are resized; must be the baseline's (default: the baseline's)")
  String resize;

  @Option(names = "--snapshot", paramLabel = "FILE",
      description = "monitor snapshot, restored at start and written periodically and at shutdown"
          + " (default: DIR/" + SNAPSHOT_FILE + " when DIR is writable; 'none' for no snapshots)")
  String snapshot;

  @Option(names = "--snapshot-interval", defaultValue = "30", paramLabel = "SECONDS",
      description = "seconds between snapshots while images arrive; 0: only at shutdown (default ${DEFAULT-VALUE})")
  double snapshotInterval;

  @Option(names = "--max-body-bytes", defaultValue = "" + DriftServer.DEFAULT_MAX_REQUEST_BYTES, paramLabel = "BYTES",
      description = "largest request body, else 413 (default ${DEFAULT-VALUE})")
  long maxBodyBytes;

  @Option(names = "--max-images", defaultValue = "" + DriftServer.DEFAULT_MAX_IMAGES, paramLabel = "N",
      description = "most images per request, else 413 (default ${DEFAULT-VALUE})")
  int maxImages;

  @Option(names = "--ce-type", defaultValue = DriftServer.DEFAULT_CLOUDEVENT_TYPE, paramLabel = "TYPE",
      description = "ce-type of the CloudEvents replied to logger events (default ${DEFAULT-VALUE})")
  String cloudEventType;

  @Option(names = "--ce-source", paramLabel = "SOURCE",
      description = "ce-source of reply events (default org.drift4j.serve.<name>)")
  String cloudEventSource;

  @Option(names = "--threads", defaultValue = "" + DriftServer.DEFAULT_THREADS, paramLabel = "N",
      description = "most request threads (default ${DEFAULT-VALUE})")
  int threads;

  /** For tests: stop by itself after this many seconds, as on SIGTERM. */
  @Option(names = "--stop-after", hidden = true, paramLabel = "SECONDS")
  double stopAfter;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    Path baselineFile = ModelFolder.member(model, TrainCommand.BASELINE_FILE);
    Baseline baseline = BaselineStore.read(baselineFile);
    DriftServerBuilder builder;
    Autoencoder autoencoder = ModelInputs.open(model, engine, cl);
    try {
      DriftMonitor.Builder monitor = DriftMonitor.builder(autoencoder, baseline).config(monitorConfig(cl));
      if (Files.isWritable(model)) {
        monitor.calibrationCache(MonitorCalibrationCache.beside(baselineFile));
      }
      DriftDetector detector = DriftDetector.builder(autoencoder, baseline)
          .config(DriftDetectorConfig.custom().policy(policy(cl)).build()).build();
      builder = DriftServer.builder(monitor.build()).detector(detector);
      configure(builder, cl);
    } catch (RuntimeException e) {
      ModelInputs.close(autoencoder);
      throw e;
    }
    return run(builder, autoencoder);
  }

  private int run(DriftServerBuilder builder, Autoencoder autoencoder) throws Exception {
    DriftServer server;
    try {
      server = builder.build().start();
    } catch (Exception e) {
      ModelInputs.close(autoencoder);
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable shutdown = () -> {
      server.close();
      try {
        ModelInputs.close(autoencoder);
      } catch (Exception e) {
        spec.commandLine().getErr().println("drift4j serve: closing the model failed: " + e);
      }
      stopped.countDown();
    };
    Thread hook = new Thread(shutdown, "drift4j-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    out.println("drift4j serve: listening on " + server.uri() + " (model " + name + ", "
        + autoencoder.getClass().getSimpleName() + ")");
    out.flush();
    if (stopAfter > 0) {
      if (!stopped.await((long) (stopAfter * 1000), TimeUnit.MILLISECONDS)) {
        Runtime.getRuntime().removeShutdownHook(hook);
        shutdown.run();
      }
    } else {
      stopped.await();
    }
    return 0;
  }

  private DriftMonitorConfig monitorConfig(CommandLine cl) {
    try {
      return runTime.config().build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--ert or --confidence: " + e.getMessage());
    }
  }

  private DriftPolicy policy(CommandLine cl) {
    try {
      return DriftPolicy.rankTest(alpha);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--alpha: " + e.getMessage());
    }
  }

  private void configure(DriftServerBuilder b, CommandLine cl) {
    try {
      b.port(port).bind(bind).modelName(name).maxRequestBytes(maxBodyBytes).maxImages(maxImages).threads(threads)
          .cloudEventType(cloudEventType)
          .snapshotInterval(Duration.ofMillis(Math.round(snapshotInterval * 1000)));
      if (cloudEventSource != null) {
        b.cloudEventSource(cloudEventSource);
      }
      if (resize != null) {
        b.preprocessing(preprocessing(cl));
      }
      Path file = snapshot == null ? (Files.isWritable(model) ? model.resolve(SNAPSHOT_FILE) : null)
          : snapshot.equals("none") ? null : Path.of(snapshot);
      if (file != null) {
        b.snapshotFile(file);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
  }

  private ImagePreprocessing preprocessing(CommandLine cl) {
    try {
      return ImagePreprocessing.resize(ImagePreprocessing.Interpolation.valueOf(resize.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--resize must be bilinear, area or nearest, but was " + resize);
    }
  }
}
