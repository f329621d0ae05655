package org.drift4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.drift4j.testkit.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/** The tool uses Drift4j through its API (DL4J only through drift-dl4j's). */
class ExamplesModuleBoundaryTest {

  @Test
  void usesOnlyDriftCoresExportedPackagesAndNoDl4jTypeDirectly() throws IOException {
    assertThat(ModuleBoundaries.check("org.drift4j.examples", Path.of("target/classes"),
        ModuleBoundaries.DL4J_PACKAGES)).contains("org.drift4j");
  }
}
