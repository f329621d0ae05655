package org.drift4j.examples.cli;

import java.util.concurrent.Callable;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jmh}: runs the JMH benchmarks in this jar; arguments go to JMH (e.g. {@code -f 1 -wi 2 -i 3 Inference}). */
@Command(name = "jmh", description = "Run the JMH benchmarks (arguments are JMH's, e.g. '-f 1 -wi 2 -i 3 -rf json -rff out.json').")
final class JmhCommand implements Callable<Integer> {

  @CommandLine.Unmatched
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(args.toArray(String[]::new));
    return 0;
  }
}
