package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.drift4j.examples.data.IdxBytes.gzip;
import static org.drift4j.examples.data.IdxBytes.idx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.drift4j.ImageBatch;
import org.drift4j.testkit.Allocations;
import org.drift4j.testkit.Mutations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, time-bounded fuzzing of the IDX readers: valid files, raw and gzip, mutated (bit flips,
 * truncation, header fields, appended and removed bytes) must either read or fail with a
 * {@link DataFormatException} naming the file, never anything else (OutOfMemoryError,
 * NegativeArraySizeException, IndexOutOfBoundsException …), and no read may allocate more than
 * {@link #ALLOCATION_BOUND}: the mutated files are a few kilobytes, their headers promise up to
 * gigabytes. A failure names the seed, the iteration and the mutations, so it can be replayed.
 */
@Timeout(120)
class IdxFuzzTest {

  private static final long SEED = 0x1D8_F022L;
  private static final Duration BUDGET = Duration.ofSeconds(2);
  private static final int MIN_ITERATIONS = 200;
  /** Far below what any header field mutation promises (10^8 bytes and up), above the readers' own buffers. */
  private static final long ALLOCATION_BOUND = 32L << 20;
  private static final int[] IMAGE_FIELDS = {4, 8, 12};
  private static final int[] LABEL_FIELDS = {4};

  @TempDir
  Path dir;

  private interface Reader {
    void read(Path file, SplittableRandom random) throws Exception;
  }

  private static byte[] images() {
    SplittableRandom random = new SplittableRandom(SEED);
    byte[] pixels = new byte[7 * 3 * 4];
    random.nextBytes(pixels);
    return idx(Idx.IMAGES_MAGIC, new int[] {7, 3, 4}, pixels);
  }

  private static byte[] labels() {
    return idx(Idx.LABELS_MAGIC, new int[] {9}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
  }

  private static void readWhole(Path file, SplittableRandom random) throws IOException {
    ImageBatch batch = Idx.readImages(file);
    for (float v : batch.toFlatArray()) {
      assertThat(v).isBetween(0f, 1f);
    }
  }

  private static void readInChunks(Path file, SplittableRandom random) throws IOException {
    try (IdxImageReader reader = Idx.openImages(file)) {
      int images = 0;
      while (reader.hasNext()) {
        int most = Math.max(1, Idx.MAX_BYTES_IN_MEMORY / reader.shape().size());
        images += reader.next(Math.min(most, 1 + random.nextInt(5))).size();
      }
      assertThat(images).isEqualTo(reader.count());
    }
  }

  private static void readLabels(Path file, SplittableRandom random) throws IOException {
    assertThat(Idx.readLabels(file)).isNotNull();
  }

  @Test
  void mutatedRawImageFilesReadOrFailWithAMessage() throws Exception {
    fuzz(images(), false, IMAGE_FIELDS, IdxFuzzTest::readWhole, BUDGET);
  }

  @Test
  void mutatedRawImageFilesStreamOrFailWithAMessage() throws Exception {
    fuzz(images(), false, IMAGE_FIELDS, IdxFuzzTest::readInChunks, BUDGET);
  }

  @Test
  void mutatedGzipImageFilesReadOrFailWithAMessage() throws Exception {
    fuzz(gzip(images()), false, new int[0], IdxFuzzTest::readWhole, BUDGET);
  }

  @Test
  void gzipFilesOfMutatedImagesReadOrStreamOrFailWithAMessage() throws Exception {
    fuzz(images(), true, IMAGE_FIELDS, (file, random) -> {
      if (random.nextBoolean()) {
        readWhole(file, random);
      } else {
        readInChunks(file, random);
      }
    }, BUDGET);
  }

  @Test
  void mutatedLabelFilesReadOrFailWithAMessage() throws Exception {
    Duration third = BUDGET.dividedBy(3);
    fuzz(labels(), false, LABEL_FIELDS, IdxFuzzTest::readLabels, third);
    fuzz(gzip(labels()), false, new int[0], IdxFuzzTest::readLabels, third);
    fuzz(labels(), true, LABEL_FIELDS, IdxFuzzTest::readLabels, third);
  }

  /**
   * Mutates {@code valid} (then gzips it when {@code gzipAfter}) and reads it, for {@code budget}
   * and at least {@link #MIN_ITERATIONS} times.
   */
  private void fuzz(byte[] valid, boolean gzipAfter, int[] fields, Reader reader, Duration budget) throws Exception {
    Allocations.assumeCounted();
    Path file = dir.resolve(gzipAfter ? "fuzz.gz" : "fuzz");
    long deadline = System.nanoTime() + budget.toNanos();
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < MIN_ITERATIONS || System.nanoTime() < deadline; i++) {
      SplittableRandom random = new SplittableRandom(SEED + i);
      Mutations.Mutated mutated = Mutations.apply(valid, random, fields);
      Files.write(file, gzipAfter ? gzip(mutated.bytes()) : mutated.bytes());
      String replay = "seed " + SEED + ", iteration " + i + ", " + mutated.steps();
      long before = Allocations.sofar();
      Throwable thrown = null;
      try {
        reader.read(file, random);
        accepted++;
      } catch (Throwable t) {
        thrown = t;
        refused++;
      }
      long allocated = Allocations.sofar() - before;
      if (thrown != null && !(thrown instanceof DataFormatException && thrown.getMessage() != null
          && thrown.getMessage().startsWith(file + ": "))) {
        fail(replay + ": only a DataFormatException naming the file may escape, but got " + thrown, thrown);
      }
      if (allocated > ALLOCATION_BOUND) {
        fail(replay + ": allocated " + allocated + " bytes, more than " + ALLOCATION_BOUND + " ("
            + (thrown == null ? "read" : thrown.getMessage()) + ")");
      }
    }
    assertThat(refused).as("mutations refused").isPositive();
    assertThat(accepted + refused).isGreaterThanOrEqualTo(MIN_ITERATIONS);
  }
}
