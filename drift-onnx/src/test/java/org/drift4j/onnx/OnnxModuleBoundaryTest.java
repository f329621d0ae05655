package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.drift4j.testkit.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/** drift-onnx uses only what drift-core exports to it and never names DL4J. */
class OnnxModuleBoundaryTest {

  @Test
  void usesOnlyDriftCoresExportedPackagesAndNoDl4j() throws IOException {
    assertThat(ModuleBoundaries.check("org.drift4j.onnx", Path.of("target/classes"), ModuleBoundaries.DL4J_PACKAGES))
        .contains("org.drift4j", "org.drift4j.spi");
  }

  @Test
  void everyPublicTypeStatesItsThreadSafety() throws IOException {
    org.drift4j.testkit.PublicTypeDocs.check(Path.of("src/main/java"));
  }
}
