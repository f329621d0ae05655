package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.drift4j.testkit.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/** drift-dl4j uses only what drift-core exports to it, and ships no class in another vendor's package. */
class Dl4jModuleBoundaryTest {

  @Test
  void usesOnlyDriftCoresExportedPackages() throws IOException {
    assertThat(ModuleBoundaries.check("org.drift4j.dl4j", Path.of("target/classes"), List.of()))
        .contains("org.drift4j", "org.drift4j.spi");
  }

  @Test
  void shipsClassesInItsOwnPackageOnly() throws IOException {
    try (var walk = Files.walk(Path.of("target/classes"))) {
      assertThat(walk.filter(p -> p.toString().endsWith(".class")))
          .allMatch(p -> p.startsWith(Path.of("target/classes/org/drift4j/dl4j")), "in org.drift4j.dl4j");
    }
  }

  @Test
  void everyPublicTypeStatesItsThreadSafety() throws IOException {
    org.drift4j.testkit.PublicTypeDocs.check(Path.of("src/main/java"));
  }
}
