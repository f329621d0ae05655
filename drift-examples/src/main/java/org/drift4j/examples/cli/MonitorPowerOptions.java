package org.drift4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.drift4j.BaselineStore;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.examples.bench.monitor.MonitorPower;
import org.drift4j.examples.bench.monitor.MonitorPowerResult;
import org.drift4j.examples.bench.monitor.MonitorPowerTable;
import org.drift4j.examples.data.ImageSources;
import org.drift4j.spi.Autoencoder;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of {@code power --monitor}, the monitor section of the self-test (a picocli mixin of
 * {@link PowerCommand}), and the section itself.
 */
final class MonitorPowerOptions {

  @Option(names = "--monitor", description = "run the monitor section instead of the per-batch one: the DriftMonitor's"
      + " clean run length and detection delays beside the per-batch rank test and an online CvM monitor;"
      + " writes monitor.json")
  boolean enabled;

  @Option(names = "--erts", split = ",", paramLabel = "N,N,...",
      description = "(--monitor) expected run times; default 1000,5000,20000 (--quick: 100,300)")
  long[] expectedRunTimes;

  @Option(names = "--baseline-size", paramLabel = "N",
      description = "(--monitor) baseline images drawn from --images; default the smaller of 2000 and half of them")
  Integer baselineSize;

  @Option(names = "--clean-runs", paramLabel = "N", description = "(--monitor) clean runs per ERT; default 200 (--quick: 20)")
  Integer cleanRuns;

  @Option(names = "--delay-runs", paramLabel = "N",
      description = "(--monitor) change points per shift and ERT; default 200 (--quick: 20)")
  Integer delayRuns;

  @Option(names = "--monitor-batch-sizes", split = ",", paramLabel = "N,N,...",
      description = "(--monitor) batch sizes of the per-batch comparator; default 10,32,100")
  int[] batchSizes;

  @Option(names = "--cvm-windows", split = ",", paramLabel = "W,W,...",
      description = "(--monitor) windows of the online CvM comparator; default 20,50,100")
  int[] windows;

  @Option(names = "--request-sizes", split = ",", paramLabel = "R,R,...",
      description = "(--monitor) images per request: delays run to the end of the request that alarmed; default 1,32")
  int[] requestSizes;

  @Option(names = "--foreign", paramLabel = "PATH",
      description = "(--monitor) IDX file or folder of foreign images, mixed in at 10%%")
  Path foreign;

  @Option(names = "--quick", description = "(--monitor) a small, fast run: ERTs 100 and 300, 20 runs per cell")
  boolean quick;

  /** Runs the monitor section; returns the exit status. */
  int run(ModelInputs inputs, long seed, Path out, CommandLine cl) throws Exception {
    Autoencoder ae = inputs.open(cl);
    try {
      ImageBatch clean = ImageSources.load(inputs.images, null, ae.inputShape()).images();
      ImageBatch others = foreign == null ? null : ImageSources.load(foreign, null, ae.inputShape()).images();
      ReconstructionError error = BaselineStore.read(ModelFolder.member(inputs.model, TrainCommand.BASELINE_FILE)).errorMeasure();
      MonitorPower.Settings settings = settings(clean.size(), seed, cl);
      Progress.stderr().say("Monitor self-test: " + clean.size() + " clean images...");
      MonitorPowerResult result = MonitorPower.run(ae, error, clean, others, settings, System.err);
      Files.createDirectories(out);
      Path json = out.resolve("monitor.json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
      PrintWriter w = cl.getOut();
      w.print(MonitorPowerTable.of(result));
      w.println();
      w.println("JSON: " + json);
      w.flush();
      return 0;
    } finally {
      ModelInputs.close(ae);
    }
  }

  private MonitorPower.Settings settings(int images, long seed, CommandLine cl) {
    int n = baselineSize != null ? baselineSize : Math.min(2_000, images / 2);
    if (images < n + 100) {
      throw new CommandLine.ParameterException(cl, "--images must hold at least " + (n + 100) + " images (a baseline of "
          + n + " and 100 or more to draw streams from), but held " + images);
    }
    long[] erts = expectedRunTimes != null ? expectedRunTimes : quick ? new long[] {100, 300} : new long[] {1_000, 5_000, 20_000};
    try {
      return new MonitorPower.Settings(erts, n, cleanRuns != null ? cleanRuns : quick ? 20 : 200,
          delayRuns != null ? delayRuns : quick ? 20 : 200, batchSizes != null ? batchSizes : new int[] {10, 32, 100},
          windows != null ? windows : new int[] {20, 50, 100}, quick ? 100 : 500, seed,
          requestSizes != null ? requestSizes : new int[] {1, 32});
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage(), e);
    }
  }
}
