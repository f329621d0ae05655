package org.drift4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.drift4j.BaselineStore;
import org.drift4j.ImageBatch;
import org.drift4j.spi.Autoencoder;
import org.drift4j.examples.bench.PowerTest;
import org.drift4j.examples.data.ImageSources;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code power}: how often each policy flags clean and shifted batches of the user's own images. */
@Command(name = "power", description = "Detection-power self-test on your clean validation images: false-alarm and"
    + " detection rates per policy, shift and batch size, with 95%% intervals. Table on stdout, JSON and PNG in --out."
    + " With --monitor, the DriftMonitor's clean run length and detection delays instead (monitor.json).")
final class PowerCommand implements Callable<Integer> {

  @CommandLine.Mixin
  ModelInputs inputs;

  @CommandLine.Mixin
  MonitorPowerOptions monitor;

  @Option(names = "--batch-sizes", defaultValue = "10,50,100,200", split = ",", paramLabel = "N,N,...")
  int[] batchSizes;

  @Option(names = "--alpha", defaultValue = "0.01", paramLabel = "A")
  double alpha;

  @Option(names = "--trials", defaultValue = "500", paramLabel = "N")
  int trials;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S")
  long seed;

  @Option(names = "--out", defaultValue = "runs/power", paramLabel = "DIR")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (monitor.enabled) {
      return monitor.run(inputs, seed, out, spec.commandLine());
    }
    if (trials < 10) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--trials must be at least 10, but was " + trials);
    }
    Autoencoder ae = inputs.open(spec.commandLine());
    ImageBatch clean = ImageSources.load(inputs.images, null, ae.inputShape()).images();
    int largest = java.util.Arrays.stream(batchSizes).max().orElse(1);
    if (clean.size() < 2 * largest + 40) {
      throw new IllegalArgumentException("--images must hold at least " + (2 * largest + 40) + " images (half for the"
          + " baseline, half to draw batches of up to " + largest + " from), but held " + clean.size());
    }
    var error = BaselineStore.read(ModelFolder.member(inputs.model, TrainCommand.BASELINE_FILE)).errorMeasure();
    Progress.stderr().say("Power self-test: " + clean.size() + " clean images, " + trials + " trials per cell...");
    PowerTest.Result result = PowerTest.run(ae, error, clean, PowerTest.standardShifts(clean, seed), batchSizes, alpha,
        trials, seed);
    Files.createDirectories(out);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("power.json").toFile(), result);
    chart(result, out.resolve("power.png"));
    PrintWriter w = spec.commandLine().getOut();
    w.print(table(result));
    w.println("JSON: " + out.resolve("power.json") + ", chart: " + out.resolve("power.png"));
    w.flush();
    return 0;
  }

  static String table(PowerTest.Result r) {
    StringBuilder t = new StringBuilder("| policy | scenario |");
    for (int m : r.batchSizes()) {
      t.append(" m=").append(m).append(" |");
    }
    t.append("\n|---|---|");
    for (int ignored : r.batchSizes()) {
      t.append("---|");
    }
    t.append("\n");
    for (var policy : r.rates().entrySet()) {
      for (var scenario : policy.getValue().entrySet()) {
        t.append("| ").append(policy.getKey()).append(" | ").append(scenario.getKey()).append(" |");
        for (PowerTest.Rate rate : scenario.getValue()) {
          t.append(String.format(Locale.ROOT, " %.3f [%.3f, %.3f] |", rate.rate(), rate.low(), rate.high()));
        }
        t.append("\n");
      }
    }
    return t.toString();
  }

  private static void chart(PowerTest.Result r, Path file) throws java.io.IOException {
    XYChart chart = new XYChartBuilder().width(900).height(550).title("rankTest: share of batches flagged (alpha "
        + r.alpha() + ")").xAxisTitle("batch size").yAxisTitle("share flagged").build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisLogarithmic(true);
    double[] x = java.util.Arrays.stream(r.batchSizes()).asDoubleStream().toArray();
    Map<String, List<PowerTest.Rate>> rank = r.rates().getOrDefault("rankTest", new LinkedHashMap<>());
    for (var scenario : rank.entrySet()) {
      chart.addSeries(scenario.getKey(), x, scenario.getValue().stream().mapToDouble(PowerTest.Rate::rate).toArray());
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
