package org.drift4j.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process run to completion with a time limit: its output goes to temporary files (so a
 * chatty child can never block on a full pipe), and a child still running at the limit is killed.
 */
final class ChildProcess {

  /**
   * What a child did.
   *
   * @param exitCode its exit status, or -1 if it was killed at the time limit
   * @param out its standard output
   * @param err its standard error
   */
  record Outcome(int exitCode, String out, String err) {

    boolean succeeded() {
      return exitCode == 0;
    }

    /** The last line of standard output that starts with '{', or "{}". */
    String lastJsonLine() {
      return out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
    }
  }

  private ChildProcess() {}

  /**
   * Runs {@code command} and waits for it, at most {@code timeoutSeconds}.
   *
   * @throws IOException if it cannot be started
   */
  static Outcome run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("drift4j-child-", ".out");
    Path err = Files.createTempFile("drift4j-child-", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (!done) {
        return new Outcome(-1, stdout, "killed after " + timeoutSeconds + " s: " + String.join(" ", command)
            + (stderr.isBlank() ? "" : "\n" + stderr));
      }
      return new Outcome(p.exitValue(), stdout, stderr);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
