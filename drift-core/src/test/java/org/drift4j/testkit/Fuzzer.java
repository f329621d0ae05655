package org.drift4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The loop of every fuzz test: seeded mutations of a valid file ({@link Mutations}), each written
 * to disk and read, for a time budget and at least a number of iterations; only the exceptions
 * {@code allowed} accepts may escape, and no read may allocate more heap than a bound. A failure
 * names the seed, the iteration and the mutations, so it can be replayed.
 */
public final class Fuzzer {

  /** Reads one mutated file. */
  @FunctionalInterface
  public interface Reader {
    /**
     * @param file the mutated file
     * @throws Exception what the reader under test throws
     */
    void read(Path file) throws Exception;
  }

  /** What one run saw. */
  public record Outcome(int accepted, int refused) {}

  private Fuzzer() {}

  /**
   * Fuzzes {@code reader} with mutations of {@code valid}.
   *
   * @param file where each mutated file is written
   * @param fields offsets of 4-byte big-endian fields worth setting to odd values
   * @param allowed the exceptions that may escape the reader
   * @param allocationBound the most heap bytes one read may allocate
   * @return how many mutations were read and how many refused
   */
  public static Outcome run(byte[] valid, Path file, int[] fields, long seed, Duration budget, int minIterations,
      Reader reader, Predicate<Throwable> allowed, long allocationBound) throws Exception {
    Allocations.assumeCounted();
    long deadline = System.nanoTime() + budget.toNanos();
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < minIterations || System.nanoTime() < deadline; i++) {
      SplittableRandom random = new SplittableRandom(seed + i);
      Mutations.Mutated mutated = Mutations.apply(valid, random, fields);
      Files.write(file, mutated.bytes());
      String replay = "seed " + seed + ", iteration " + i + ", " + mutated.steps();
      long before = Allocations.sofar();
      Throwable thrown = null;
      try {
        reader.read(file);
        accepted++;
      } catch (Throwable t) {
        thrown = t;
        refused++;
      }
      long allocated = Allocations.sofar() - before;
      if (thrown != null && !allowed.test(thrown)) {
        fail(replay + ": an undocumented exception escaped: " + thrown, thrown);
      }
      if (allocated > allocationBound) {
        fail(replay + ": allocated " + allocated + " bytes, more than " + allocationBound + " ("
            + (thrown == null ? "read" : thrown.getMessage()) + ")");
      }
    }
    assertThat(refused).as("mutations refused").isPositive();
    return new Outcome(accepted, refused);
  }

  /** Whether {@code t} is of {@code type} with a message that starts with {@code prefix}. */
  public static boolean named(Throwable t, Class<? extends Throwable> type, String prefix) {
    return type.isInstance(t) && t.getMessage() != null && t.getMessage().startsWith(prefix);
  }
}
