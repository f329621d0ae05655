package org.drift4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.drift4j.examples.data.MnistSource;
import org.drift4j.examples.experiment.ExplainQuality;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code explain-quality}: how well explanations find an occluded box and contaminating images, and what they cost. */
@Command(name = "explain-quality", description = "Measure explanations on held-out MNIST digits: does the map find a"
    + " blanked box, do the top images find contaminants, how often is a clean batch flagged, and an explanation's"
    + " cost beside a check. Writes explain-quality.json into --out.")
final class ExplainQualityCommand implements Callable<Integer> {

  @Option(names = "--seeds", defaultValue = "1,2,3", split = ",", paramLabel = "S,S,...",
      description = "one model, split and set of trials per seed (default ${DEFAULT-VALUE})")
  long[] seeds;

  @Option(names = "--trials", defaultValue = "60", paramLabel = "N", description = "trials per seed and case")
  int trials;

  @Option(names = "--train-images", defaultValue = "5000", paramLabel = "N")
  int trainImages;

  @Option(names = "--validation-images", defaultValue = "2000", paramLabel = "N", description = "per baseline")
  int validationImages;

  @Option(names = "--pool-images", defaultValue = "3000", paramLabel = "N",
      description = "held-out digits the trials draw from")
  int poolImages;

  @Option(names = "--epochs", defaultValue = "6", paramLabel = "N")
  int epochs;

  @Option(names = "--batch-sizes", defaultValue = "32,256", split = ",", paramLabel = "N,N,...")
  int[] batchSizes;

  @Option(names = "--cost-sizes", defaultValue = "32,256,1000", split = ",", paramLabel = "N,N,...")
  int[] costSizes;

  @Option(names = "--seconds", defaultValue = "4", paramLabel = "S", description = "time per cost measurement")
  double seconds;

  @Option(names = "--out", defaultValue = "runs/explain-quality", paramLabel = "DIR")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ExplainQuality.Settings settings;
    try {
      settings = new ExplainQuality.Settings(seeds, trainImages, validationImages, poolImages, epochs, batchSizes, trials, 64, 8,
          costSizes, seconds, MnistSource.defaultCacheDir(), "npm");
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    new ExplainQuality(settings, Progress.stderr()).run(out);
    spec.commandLine().getOut().println("JSON: " + out.resolve("explain-quality.json"));
    return 0;
  }
}
