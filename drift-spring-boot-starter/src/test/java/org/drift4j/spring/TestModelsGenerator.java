package org.drift4j.spring;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the test models in {@code src/test/resources/drift4j-models} (only when asked:
 * {@code ./mvnw -B -pl drift-spring-boot-starter -am verify -Dtest=TestModelsGenerator
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddrift4j.regenerate-test-models=true}). The files are
 * kept in git so that the tests need no training, and so that they prove old model files still load.
 */
class TestModelsGenerator {

  @Test
  @EnabledIfSystemProperty(named = "drift4j.regenerate-test-models", matches = "true")
  void writesTheTestModels() throws IOException {
    TestModels.generate(Path.of("src/test/resources/drift4j-models").toAbsolutePath());
  }
}
