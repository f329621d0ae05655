package org.drift4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.drift4j.examples.bench.BenchTable;
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

  @Option(names = "--memory-images", defaultValue = "10000", paramLabel = "N")
  int memoryImages;

  @Option(names = "--python", defaultValue = "/usr/bin/python3", paramLabel = "EXE",
      description = "a Python with PyTorch (Debian: apt-get install python3-torch)")
  String python;

  @Option(names = "--script", defaultValue = "scripts/pytorch_reference.py", paramLabel = "FILE")
  Path script;

  @Option(names = "--out", defaultValue = "runs/bench", paramLabel = "DIR")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ObjectNode result = new SpeedBenchmark(new SpeedBenchmark.Settings(batchSizes, seconds, trainingImages, memoryImages,
        python, script, out), System.err).run();
    spec.commandLine().getOut().println(BenchTable.of(result));
    spec.commandLine().getOut().println("JSON: " + out.resolve("bench.json"));
    return 0;
  }
}
