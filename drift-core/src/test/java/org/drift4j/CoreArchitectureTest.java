package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** drift-core never names a deep-learning backend type (the enforcer plugin guards its dependencies). */
class CoreArchitectureTest {

  private static final List<String> FORBIDDEN = List.of("org/nd4j", "org/deeplearning4j", "org/bytedeco", "ai/onnxruntime");

  @Test
  void noCompiledCoreClassReferencesABackendPackage() throws IOException {
    Path classes = Path.of("target/classes");
    assertThat(classes).as("run through Maven: compiled classes expected in %s", classes.toAbsolutePath()).isDirectory();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
    }
    assertThat(files).hasSizeGreaterThan(10);
    for (Path file : files) {
      String constantPool = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String forbidden : FORBIDDEN) {
        assertThat(constantPool).as("%s references %s", file, forbidden).doesNotContain(forbidden);
      }
    }
  }
}
