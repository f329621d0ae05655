package org.drift4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.drift4j.testkit.ModuleBoundaries;
import org.drift4j.testkit.PublicTypeDocs;
import org.junit.jupiter.api.Test;

/** drift-spark uses only what drift-core exports to it and never names DL4J. */
class SparkModuleBoundaryTest {

  @Test
  void usesOnlyDriftCoresExportedPackagesAndNoDl4j() throws IOException {
    assertThat(ModuleBoundaries.check("org.drift4j.spark", Path.of("target/classes"), ModuleBoundaries.DL4J_PACKAGES))
        .contains("org.drift4j", "org.drift4j.spi").doesNotContain("org.drift4j.internal");
  }

  @Test
  void everyPublicTypeStatesItsThreadSafety() throws IOException {
    PublicTypeDocs.check(Path.of("src/main/java"));
  }
}
