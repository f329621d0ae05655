package org.drift4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftAlarm;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.ExplanationImages;
import org.drift4j.ImageBatch;
import org.drift4j.MonitorCalibrationCache;
import org.drift4j.MonitorObservation;
import org.drift4j.examples.data.Idx;
import org.drift4j.examples.data.IdxImageReader;
import org.drift4j.examples.data.ImageSources;
import org.drift4j.spi.Autoencoder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code monitor}: feeds images in input order to a {@link DriftMonitor} as requests of R images
 * and prints one JSON line per alarm, then a summary line.
 */
@Command(name = "monitor", description = "Monitor a stream of images in input order, as requests of R images; one"
    + " JSON line per alarm, then a summary. Exit 0: no alarm; 1: an alarm; 2: usage or input error.")
final class MonitorCommand implements Callable<Integer> {

  @CommandLine.Mixin
  ModelInputs inputs;

  @CommandLine.Mixin
  RunTimeOptions runTime;

  @Option(names = "--request-size", defaultValue = "1", paramLabel = "R", description = "images per request (default 1)")
  int requestSize;

  @Option(names = "--explain", paramLabel = "DIR",
      description = "write an explanation of each alarm, from its change point on, into DIR/alarm-<number>")
  Path explain;

  @Option(names = "--retain", defaultValue = "" + DriftMonitorConfig.DEFAULT_WINDOW_IMAGES, paramLabel = "N",
      description = "with --explain, the most recent images kept to explain an alarm (default ${DEFAULT-VALUE})")
  int retain;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (requestSize < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--request-size must be at least 1, but was " + requestSize);
    }
    DriftMonitorConfig config;
    try {
      config = runTime.config()
          .retainedImages(explain == null ? 0 : retain).build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--ert, --confidence or --retain: " + e.getMessage());
    }
    if (explain != null && retain < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--retain must be at least 1 with --explain, but was "
          + retain);
    }
    Path baselineFile = ModelFolder.member(inputs.model, TrainCommand.BASELINE_FILE);
    Baseline baseline = BaselineStore.read(baselineFile);
    Autoencoder autoencoder = inputs.open(spec.commandLine());
    try {
      DriftMonitor.Builder builder = DriftMonitor.builder(autoencoder, baseline).config(config);
      if (Files.isWritable(inputs.model)) {
        builder.calibrationCache(MonitorCalibrationCache.beside(baselineFile));
      }
      return run(builder.build(), autoencoder);
    } finally {
      ModelInputs.close(autoencoder);
    }
  }

  private int run(DriftMonitor monitor, Autoencoder autoencoder) throws IOException {
    ObjectMapper json = new ObjectMapper();
    PrintWriter out = spec.commandLine().getOut();
    long requests = 0;
    try (Requests source = Requests.open(inputs.images, autoencoder, requestSize)) {
      for (ImageBatch request = source.next(); request != null; request = source.next()) {
        MonitorObservation seen = monitor.observe(request);
        requests++;
        for (DriftAlarm alarm : seen.alarms()) {
          out.println(explain == null ? alarm.toJson() : explained(monitor, alarm, json));
        }
      }
    }
    ObjectNode summary = json.createObjectNode();
    summary.put("images", monitor.status().images());
    summary.put("requests", requests);
    summary.put("alarms", monitor.status().alarms());
    summary.put("expectedRunTime", monitor.config().expectedRunTime());
    summary.put("confidence", monitor.config().confidence());
    summary.put("threshold", monitor.status().threshold());
    summary.put("engine", autoencoder.getClass().getSimpleName());
    out.println(json.writeValueAsString(summary));
    out.flush();
    return monitor.status().alarms() > 0 ? Drift4jCli.EXIT_DRIFT : 0;
  }

  /** The alarm's JSON with the folder its explanation went to. */
  private String explained(DriftMonitor monitor, DriftAlarm alarm, ObjectMapper json) throws IOException {
    long since = monitor.status().images() - alarm.changePoint();
    int top = (int) Math.min(Explanations.DEFAULT_TOP, Math.min(since, retain));
    Path folder = explain.resolve("alarm-" + alarm.number());
    ExplanationImages.write(monitor.explain(alarm, top), folder);
    ObjectNode line = (ObjectNode) json.readTree(alarm.toJson());
    line.put("explanation", folder.toString());
    return json.writeValueAsString(line);
  }

  /** The input as requests of R images: an IDX file streamed chunk by chunk, a folder read whole. */
  private static final class Requests implements AutoCloseable {
    private final IdxImageReader reader;
    private final ImageBatch all;
    private final int size;
    private int next;

    private Requests(IdxImageReader reader, ImageBatch all, int size) {
      this.reader = reader;
      this.all = all;
      this.size = size;
    }

    static Requests open(Path images, Autoencoder autoencoder, int size) throws IOException {
      if (Files.isDirectory(images)) {
        return new Requests(null, ImageSources.load(images, null, autoencoder.inputShape()).images(), size);
      }
      return new Requests(Idx.openImages(images), null, size);
    }

    /** The next request, or null at the end. */
    ImageBatch next() throws IOException {
      if (reader != null) {
        return reader.hasNext() ? reader.next(size) : null;
      }
      if (next >= all.size()) {
        return null;
      }
      ImageBatch request = all.slice(next, Math.min(all.size(), next + size));
      next += request.size();
      return request;
    }

    @Override
    public void close() throws IOException {
      if (reader != null) {
        reader.close();
      }
    }
  }
}
