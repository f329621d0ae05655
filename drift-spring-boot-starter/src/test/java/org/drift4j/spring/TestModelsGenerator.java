package org.drift4j.spring;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Regenerates the test models in {@code src/test/resources/drift4j-models}; a tool, not a test.
 * The files are kept in git so that the tests need no training, and so that they prove old model
 * files still load. After a build ({@code ./mvnw -B -DskipTests package}), from the repository root:
 * {@code java --add-modules jdk.incubator.vector -cp drift-examples/target/drift4j.jar:drift-spring-boot-starter/target/test-classes:drift-core/target/test-classes
 * org.drift4j.spring.TestModelsGenerator drift-spring-boot-starter/src/test/resources/drift4j-models}.
 */
final class TestModelsGenerator {

  private TestModelsGenerator() {}

  public static void main(String[] args) throws IOException {
    TestModels.generate(Path.of(args.length > 0 ? args[0] : "src/test/resources/drift4j-models").toAbsolutePath());
  }
}
