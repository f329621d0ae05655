package org.drift4j.dl4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.drift4j.testkit.Fuzzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, time-bounded fuzzing of model files: mutations of a real {@code model.zip} (bit flips,
 * truncation, removed, repeated and appended bytes, zip header fields set to odd values) either
 * load as a working model or fail with a {@link Dl4jModelFormatException} naming the file, and no
 * load allocates more than 256 MiB of heap: nothing else escapes, no OutOfMemoryError, no native
 * crash.
 */
@Timeout(300)
class Dl4jModelFileFuzzTest {

  private static final long SEED = 0xD14_F11EL;

  @TempDir
  Path dir;

  /** Offsets of the size and CRC fields of every local and central zip header. */
  private static int[] headerFields(byte[] zip) {
    List<Integer> fields = new ArrayList<>();
    for (int i = 0; i + 4 <= zip.length; i++) {
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4) {
        for (int at : new int[] {14, 18, 22, 26}) {
          fields.add(i + at);
        }
      } else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
        for (int at : new int[] {16, 20, 24, 42}) {
          fields.add(i + at);
        }
      }
    }
    return fields.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void mutatedModelFilesLoadOrFailWithAFormatExceptionNamingTheFile() throws Exception {
    Path valid = dir.resolve("valid.zip");
    TinyModels.trained().autoencoder().save(valid);
    byte[] bytes = Files.readAllBytes(valid);
    Path file = dir.resolve("model.zip");
    Fuzzer.run(bytes, file, headerFields(bytes), SEED, Duration.ofSeconds(4), 60, path -> {
      try (Dl4jAutoencoder loaded = Dl4jAutoencoder.load(path)) {
        loaded.reconstruct(TinyModels.blobs(2, 1));
      }
    }, t -> Fuzzer.named(t, Dl4jModelFormatException.class, file + ": "), 256L << 20);
  }
}
