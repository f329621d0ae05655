package org.drift4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.drift4j.examples.bench.BenchTable;
import org.drift4j.examples.bench.SizeBenchTable;
import org.drift4j.examples.bench.SizeBenchmark;
import org.drift4j.examples.bench.SpeedBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench}: speed and memory of DL4J (through Drift4j) side by side with PyTorch, in one run. */
@Command(name = "bench", description = "Speed and memory benchmark, DL4J and the PyTorch reference in one run:"
    + " a Markdown table on stdout, JSON in --out.")
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--batch-sizes", defaultValue = "1,32,256", split = ",", paramLabel = "N,N,...")
  int[] batchSizes;

  @Option(names = "--seconds", defaultValue = "5", paramLabel = "S", description = "time per measurement")
  double seconds;

  @Option(names = "--training-images", defaultValue = "10000", paramLabel = "N")
  int trainingImages;

  @Option(names = "--memory-images", defaultValue = "10000", paramLabel = "N",
      description = "images scored in one check() with -Xmx512m (default 10000)")
  int memoryImages;

  @Option(names = "--python", defaultValue = "/usr/bin/python3", paramLabel = "EXE",
      description = "a Python with PyTorch (Debian: apt-get install python3-torch)")
  String python;

  @Option(names = "--script", defaultValue = "scripts/pytorch_reference.py", paramLabel = "FILE")
  Path script;

  @Option(names = "--sizes", paramLabel = "CxHxW,...",
      description = "instead of the 28x28 benchmark: training, batch-32 scoring and check() memory at each size,"
          + " against PyTorch (e.g. 3x32x32,3x64x64,1x128x128,3x128x128)")
  String sizes;

  @Option(names = "--size-training-images", defaultValue = "512", paramLabel = "N",
      description = "with --sizes: synthetic training images per size (default 512)")
  int sizeTrainingImages;

  @Option(names = "--size-train-batch", defaultValue = "32", paramLabel = "N",
      description = "with --sizes: the training minibatch on DL4J and PyTorch (default 32)")
  int sizeTrainBatch;

  @Option(names = "--training-repeats", defaultValue = "3", paramLabel = "K",
      description = "with --sizes: fresh training processes per engine and size, alternating DL4J and PyTorch;"
          + " the medians are compared (default 3)")
  int trainingRepeats;

  @Option(names = "--out", defaultValue = "runs/bench", paramLabel = "DIR")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (sizes != null) {
      boolean named = spec.commandLine().getParseResult().hasMatchedOption("--python")
          || spec.commandLine().getParseResult().hasMatchedOption("--script");
      ObjectNode result = new SizeBenchmark(new SizeBenchmark.Settings(SizeBenchmark.parseSizes(sizes),
          sizeTrainingImages, sizeTrainBatch, trainingRepeats, memoryImages, seconds, python, script, named, out), System.err).run();
      spec.commandLine().getOut().println(SizeBenchTable.of(result));
      spec.commandLine().getOut().println("JSON: " + out.resolve("bench.json"));
      return 0;
    }
    ObjectNode result = new SpeedBenchmark(new SpeedBenchmark.Settings(batchSizes, seconds, trainingImages, memoryImages,
        python, script, out), System.err).run();
    spec.commandLine().getOut().println(BenchTable.of(result));
    spec.commandLine().getOut().println("JSON: " + out.resolve("bench.json"));
    return 0;
  }
}
