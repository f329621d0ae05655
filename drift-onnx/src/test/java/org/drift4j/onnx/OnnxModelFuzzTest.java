package org.drift4j.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.testkit.Fuzzer;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, time-bounded fuzzing of ONNX loading: mutated bytes of real exports (the PyTorch
 * fixture and a DL4J export: bit flips, truncation, removed, repeated and appended bytes) either
 * load as an image autoencoder that reconstructs, or fail with an {@link OnnxModelException}
 * naming the file; nothing else escapes, the JVM does not crash, and no load allocates more than
 * 64 MiB of heap.
 */
@Timeout(300)
class OnnxModelFuzzTest {

  private static final long SEED = 0x0_22C5L;

  @TempDir
  Path dir;

  private void fuzz(byte[] valid) throws Exception {
    Path file = dir.resolve("model.onnx");
    Fuzzer.run(valid, file, new int[0], SEED, Duration.ofSeconds(3), 100, path -> {
      try (OnnxAutoencoder loaded = OnnxAutoencoder.load(path, OnnxConfig.custom().threads(1).build())) {
        loaded.reconstruct(SyntheticImages.noise(loaded.inputShape(), 1, 1));
      }
    }, t -> Fuzzer.named(t, OnnxModelException.class, file + ": ") || reconstructionFailure(t), 64L << 20);
  }

  /**
   * A mutation can leave a valid model that fails when run (a weight's shape no longer fits):
   * reconstruct then reports ONNX Runtime's failure with its cause, as documented.
   */
  private static boolean reconstructionFailure(Throwable t) {
    return t instanceof IllegalStateException && t.getMessage() != null && t.getMessage().startsWith("ONNX Runtime")
        && t.getCause() != null;
  }

  @Test
  void mutatedPyTorchExportsLoadOrFailWithAnOnnxModelExceptionNamingTheFile() throws Exception {
    fuzz(Files.readAllBytes(Fixtures.resource("pytorch-autoencoder.onnx")));
  }

  @Test
  void mutatedDl4jExportsLoadOrFailWithAnOnnxModelExceptionNamingTheFile() throws Exception {
    byte[] export = Dl4jOnnxExporter.export(Fixtures.dl4j());
    fuzz(export);
  }
}
