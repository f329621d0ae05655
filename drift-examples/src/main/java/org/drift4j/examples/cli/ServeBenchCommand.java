package org.drift4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.drift4j.examples.bench.ServeBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve-bench}: the drift server's loopback load test, with a kill -9 and a restart; writes JSON. */
@Command(name = "serve-bench", description = "Load-test 'drift4j serve' on loopback: C clients, S seconds per batch"
    + " size, a share of malformed requests, then kill -9 under load and restart. Writes JSON.")
final class ServeBenchCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "folder written by 'train'")
  Path model;

  @Option(names = "--images", required = true, paramLabel = "FILE", description = "IDX images (28x28) for the requests")
  Path images;

  @Option(names = "--clients", defaultValue = "16", paramLabel = "C", description = "concurrent clients (default 16)")
  int clients;

  @Option(names = "--seconds", defaultValue = "30", paramLabel = "S", description = "seconds per batch size (default 30)")
  double seconds;

  @Option(names = "--batch-sizes", defaultValue = "1,32", split = ",", paramLabel = "N,N",
      description = "images per request (default 1,32)")
  List<Integer> batchSizes;

  @Option(names = "--malformed", defaultValue = "0.05", paramLabel = "F",
      description = "share of malformed requests (default 0.05)")
  double malformed;

  @Option(names = "--kill-after", defaultValue = "5", paramLabel = "S",
      description = "seconds of load before the kill -9 (default 5)")
  double killAfter;

  @Option(names = "--out", defaultValue = "runs/serve-bench", paramLabel = "DIR",
      description = "folder for serve-bench.json, the snapshot and the servers' logs (default runs/serve-bench)")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || seconds <= 0 || killAfter <= 0 || !(malformed >= 0 && malformed < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--clients must be at least 1, --seconds and"
          + " --kill-after positive, --malformed in [0, 1), but were " + clients + ", " + seconds + ", " + killAfter
          + ", " + malformed);
    }
    ServeBench bench = new ServeBench(new ServeBench.Settings(model, images, clients, seconds, batchSizes, malformed,
        killAfter, out), spec.commandLine().getErr());
    ObjectNode result = bench.run();
    Files.createDirectories(out);
    Path file = out.resolve("serve-bench.json");
    Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
    spec.commandLine().getOut().println(file);
    return 0;
  }
}
