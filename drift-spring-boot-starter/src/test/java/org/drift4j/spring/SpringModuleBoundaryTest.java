package org.drift4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.drift4j.testkit.ModuleBoundaries;
import org.drift4j.testkit.PublicTypeDocs;
import org.junit.jupiter.api.Test;

/**
 * The starter uses drift-core's exported API and reaches the engines only through drift-onnx and
 * drift-dl4j, never ND4J, DL4J or ONNX Runtime classes themselves.
 */
class SpringModuleBoundaryTest {

  @Test
  void usesOnlyDriftCoresApiAndTheEnginesThroughTheirModules() throws IOException {
    List<String> engines = new ArrayList<>(ModuleBoundaries.DL4J_PACKAGES);
    engines.add(ModuleBoundaries.ONNX_RUNTIME_PACKAGE);
    assertThat(ModuleBoundaries.check("org.drift4j.spring", Path.of("target/classes"), engines))
        .containsExactlyInAnyOrder("org.drift4j", "org.drift4j.spi");
  }

  @Test
  void everyPublicTypeStatesItsThreadSafety() throws IOException {
    PublicTypeDocs.check(Path.of("src/main/java"));
  }
}
