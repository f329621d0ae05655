package org.drift4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule checker itself catches what it is for. */
class ModuleBoundariesTest {

  @TempDir
  Path classes;

  private void classReferencing(String name, String... references) throws IOException {
    Files.write(classes.resolve(name + ".class"),
        ("\u00ca\u00fe\u00ba\u00beLjava/lang/Object;" + String.join(";L", references) + ";")
            .getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void anyModuleMayUseTheApiAndTheSpi() throws IOException {
    classReferencing("A", "org/drift4j/DriftDetector", "org/drift4j/spi/Autoencoder", "org/drift4j/dl4j/Dl4jAutoencoder");
    assertThat(ModuleBoundaries.check("com.example.app", classes, List.of()))
        .containsExactlyInAnyOrder("org.drift4j", "org.drift4j.spi");
  }

  @Test
  void theInternalPackageIsRefusedToAModuleItIsNotExportedTo() throws IOException {
    classReferencing("B", "org/drift4j/internal/AtomicFiles");
    assertThatThrownBy(() -> ModuleBoundaries.check("com.example.app", classes, List.of()))
        .hasMessageContaining("B.class uses drift-core's package org.drift4j.internal, which drift-core does not export"
            + " to com.example.app");
    assertThat(ModuleBoundaries.check("org.drift4j.onnx", classes, List.of())).containsExactly("org.drift4j.internal");
  }

  @Test
  void aForbiddenBackendNameIsCaught() throws IOException {
    classReferencing("C", "org/nd4j/linalg/api/ndarray/INDArray");
    assertThatThrownBy(() -> ModuleBoundaries.check("org.drift4j.onnx", classes, ModuleBoundaries.DL4J_PACKAGES))
        .hasMessageContaining("C.class names org/nd4j/, which org.drift4j.onnx must not");
  }
}
