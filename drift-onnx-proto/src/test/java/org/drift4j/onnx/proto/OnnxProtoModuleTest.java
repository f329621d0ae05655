package org.drift4j.onnx.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The writer is a module of its own that depends on nothing and knows nothing about drift. */
class OnnxProtoModuleTest {

  @Test
  void exportsItsOnePackageAndRequiresOnlyTheJdkBase() throws IOException {
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("org.drift4j.onnx.proto");
    assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("org.drift4j.onnx.proto");
    assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name).containsExactly("java.base");
  }

  @Test
  void everyPublicTypeStatesItsThreadSafety() throws IOException {
    try (var files = Files.walk(Path.of("src/main/java"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java")))
          .allMatch(f -> {
            try {
              return Files.readString(f).matches("(?s).*(?i:thread|immutable|stateless).*");
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
  }
}
