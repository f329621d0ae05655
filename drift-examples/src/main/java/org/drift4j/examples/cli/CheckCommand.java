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
import org.drift4j.DriftDetector;
import org.drift4j.DriftDetectorConfig;
import org.drift4j.DriftPolicy;
import org.drift4j.DriftReport;
import org.drift4j.ImageBatch;
import org.drift4j.spi.Autoencoder;
import org.drift4j.examples.data.Idx;
import org.drift4j.examples.data.IdxImageReader;
import org.drift4j.examples.data.ImageSources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check}: checks consecutive batches of an image set against a trained model's baseline. */
@Command(name = "check", description = "Check consecutive batches of images; one JSON object per batch on stdout."
    + " Exit 0: no drift; 1: a batch drifted; 2: usage or input error.")
final class CheckCommand implements Callable<Integer> {

  @CommandLine.Mixin
  ModelInputs inputs;

  @Option(names = "--batch-size", required = true, paramLabel = "N")
  int batchSize;

  private static final double DEFAULT_ALPHA = 0.01;

  @Option(names = "--alpha", paramLabel = "A", description = "false-alarm rate of the rank and ks tests; default 0.01")
  Double alpha;

  @Option(names = "--policy", defaultValue = "rank", paramLabel = "NAME",
      description = "rank (default, calibrated), ks, or relative-increase (the reference's +10%% rule)")
  String policy;

  @Option(names = "--explain", paramLabel = "DIR",
      description = "write an explanation of each drifted batch into DIR/batch-<index> (see 'explain')")
  Path explain;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be at least 1, but was " + batchSize);
    }
    if (alpha != null && policy.equals("relative-increase")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--alpha applies to --policy rank and ks, not to"
          + " relative-increase (a fixed +10% rule with no false-alarm rate); drop --alpha or choose rank or ks");
    }
    double a = alpha == null ? DEFAULT_ALPHA : alpha;
    DriftPolicy driftPolicy = switch (policy) {
      case "rank" -> DriftPolicy.rankTest(a);
      case "ks" -> DriftPolicy.ksTest(a);
      case "relative-increase" -> DriftPolicy.relativeIncrease(0.10);
      default -> throw new CommandLine.ParameterException(spec.commandLine(),
          "--policy must be rank, ks or relative-increase, but was " + policy);
    };
    Autoencoder autoencoder = inputs.open(spec.commandLine());
    Baseline baseline = BaselineStore.read(ModelFolder.member(inputs.model, TrainCommand.BASELINE_FILE));
    PrintWriter out = spec.commandLine().getOut();
    boolean anyDrift = false;
    try {
      DriftDetector detector = DriftDetector.builder(autoencoder, baseline)
          .config(DriftDetectorConfig.custom().policy(driftPolicy).build())
          .build();
      Batches batches = new Batches(detector, Explanations.into(explain, autoencoder, baseline),
          autoencoder.getClass().getSimpleName(), out);
      if (Files.isRegularFile(inputs.images)) {
        // IDX files are streamed a batch at a time, so their size is bounded only by the disk
        try (IdxImageReader reader = Idx.openImages(inputs.images)) {
          while (reader.hasNext()) {
            anyDrift |= batches.check(reader.next(batchSize));
          }
        }
      } else {
        ImageBatch all = ImageSources.load(inputs.images, null, autoencoder.inputShape()).images();
        for (int from = 0; from < all.size(); from += batchSize) {
          anyDrift |= batches.check(all.slice(from, Math.min(all.size(), from + batchSize)));
        }
      }
    } finally {
      ModelInputs.close(autoencoder);
    }
    out.flush();
    return anyDrift ? Drift4jCli.EXIT_DRIFT : 0;
  }

  /** Checks consecutive batches, printing one JSON line each. */
  private static final class Batches {
    private final ObjectMapper json = new ObjectMapper();
    private final DriftDetector detector;
    private final Explanations explanations;
    private final String engine;
    private final PrintWriter out;
    private int index;
    private int first;

    Batches(DriftDetector detector, Explanations explanations, String engine, PrintWriter out) {
      this.detector = detector;
      this.explanations = explanations;
      this.engine = engine;
      this.out = out;
    }

    boolean check(ImageBatch batch) throws IOException {
      DriftReport r = detector.check(batch);
      ObjectNode line = json.createObjectNode();
      line.put("batch", index);
      line.put("first", first);
      line.put("size", r.batchSize());
      line.put("drift", r.drift());
      double p = r.decision().pValue();
      if (Double.isNaN(p)) {
        line.putNull("pValue");
      } else {
        line.put("pValue", p);
      }
      line.put("statistic", r.decision().statistic());
      line.put("meanError", r.batchMeanError());
      line.put("baselineMeanError", r.baselineMeanError());
      line.put("relativeIncrease", r.relativeIncrease());
      line.put("outliers", r.outlierCount());
      line.put("policy", r.policy());
      line.put("engine", engine);
      line.put("detail", r.decision().detail());
      if (r.drift() && explanations != null) {
        line.put("explanation", explanations.write("batch-" + index, batch).toString());
      }
      out.println(json.writeValueAsString(line));
      index++;
      first += batch.size();
      return r.drift();
    }
  }
}
