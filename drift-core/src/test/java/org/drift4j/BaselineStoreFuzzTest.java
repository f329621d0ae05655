package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.drift4j.testkit.Fuzzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, time-bounded fuzzing of {@link BaselineStore#read}: mutated baseline files either read
 * as a valid baseline or fail with a {@link BaselineFormatException} naming the file; nothing
 * else escapes, and no read allocates more than 16 MiB for a file of a few kilobytes.
 */
@Timeout(120)
class BaselineStoreFuzzTest {

  private static final long SEED = 0xBA5E11AEL;
  private static final String[] ODD_TOKENS = {"-1", "0", "1e308", "1e999", "-0.0", "NaN", "null", "\"\"", "[]", "{}",
      "2147483648", "99999999999999999999", "true", "\"BINARY_CROSS_ENTROPY\"", "\"x\"", "[1,2]"};

  @TempDir
  Path dir;

  private static String valid() {
    SplittableRandom r = new SplittableRandom(SEED);
    double[] errors = new double[40];
    for (int i = 0; i < errors.length; i++) {
      errors[i] = 0.05 + r.nextDouble() / 10;
    }
    Baseline b = Baseline.of(errors, ReconstructionError.BINARY_CROSS_ENTROPY, ImageShape.grey(28, 28),
        "sha256:0123", Instant.EPOCH);
    return BaselineStore.toJson(b);
  }

  /** One to three edits of the JSON text: characters changed, spans removed or repeated, values replaced. */
  private static String mutate(String json, SplittableRandom r) {
    StringBuilder s = new StringBuilder(json);
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits && s.length() > 0; e++) {
      int at = r.nextInt(s.length());
      int to = Math.min(s.length(), at + 1 + r.nextInt(24));
      switch (r.nextInt(5)) {
        case 0 -> s.setCharAt(at, (char) (32 + r.nextInt(95)));
        case 1 -> s.delete(at, to);
        case 2 -> s.insert(at, s.substring(at, to));
        case 3 -> s.setLength(at);
        default -> {
          // a value after a colon or in a list replaced by an odd one
          int start = Math.max(s.lastIndexOf(":", at), s.lastIndexOf(",", at)) + 1;
          int end = start;
          while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
            end++;
          }
          if (start > 0) {
            s.replace(start, end, ODD_TOKENS[r.nextInt(ODD_TOKENS.length)]);
          }
        }
      }
    }
    return s.toString();
  }

  @Test
  void mutatedBaselinesReadOrFailWithAFormatExceptionNamingTheFile() throws Exception {
    Path file = dir.resolve("baseline.json");
    String valid = valid();
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    int refused = 0;
    org.drift4j.testkit.Allocations.assumeCounted();
    for (int i = 0; i < 500 || System.nanoTime() < deadline; i++) {
      String mutated = mutate(valid, new SplittableRandom(SEED + i));
      Files.writeString(file, mutated);
      long before = org.drift4j.testkit.Allocations.sofar();
      try {
        assertThat(BaselineStore.read(file).count()).isPositive();
      } catch (BaselineFormatException e) {
        assertThat(e.getMessage()).as("iteration %d: %s", i, mutated).startsWith(file + ": ");
        refused++;
      } catch (Exception | Error e) {
        throw new AssertionError("seed " + SEED + ", iteration " + i + ": an undocumented exception escaped for "
            + mutated + ": " + e, e);
      }
      assertThat(org.drift4j.testkit.Allocations.sofar() - before).as("iteration %d allocated", i)
          .isLessThan(16L << 20);
    }
    assertThat(refused).isPositive();
  }

  /** Mutated bytes, invalid UTF-8 included, read or fail with a format exception naming the file. */
  @Test
  void mutatedBytesReadOrFailWithAFormatExceptionNamingTheFile() throws Exception {
    Path file = dir.resolve("baseline.json");
    Fuzzer.run(valid().getBytes(StandardCharsets.UTF_8), file, new int[0], SEED, Duration.ofSeconds(2), 300,
        path -> assertThat(BaselineStore.read(path).count()).isPositive(),
        t -> Fuzzer.named(t, BaselineFormatException.class, file + ": "), 16L << 20);
  }
}
