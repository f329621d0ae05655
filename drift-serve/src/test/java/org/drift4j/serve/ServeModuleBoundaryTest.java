package org.drift4j.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.drift4j.testkit.ModuleBoundaries;
import org.drift4j.testkit.PublicTypeDocs;
import org.junit.jupiter.api.Test;

/** drift-serve uses only drift-core's API and names no backend. */
class ServeModuleBoundaryTest {

  @Test
  void usesOnlyDriftCoresApiAndNoBackend() throws IOException {
    List<String> backends = new ArrayList<>(ModuleBoundaries.DL4J_PACKAGES);
    backends.add(ModuleBoundaries.ONNX_RUNTIME_PACKAGE);
    assertThat(ModuleBoundaries.check("org.drift4j.serve", Path.of("target/classes"), backends))
        .containsExactly("org.drift4j");
  }

  @Test
  void everyPublicTypeStatesItsThreadSafety() throws IOException {
    PublicTypeDocs.check(Path.of("src/main/java"));
  }
}
