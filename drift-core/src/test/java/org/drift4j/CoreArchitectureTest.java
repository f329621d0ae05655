package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.drift4j.testkit.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/** drift-core's boundary: what it exports, and that it never names a backend. */
class CoreArchitectureTest {

  @Test
  void coreExportsItsApiAndSpiToEveryoneAndItsInternalsOnlyToDrift4jModules() {
    ModuleDescriptor core = ModuleBoundaries.coreDescriptor();
    assertThat(core.name()).isEqualTo("org.drift4j");
    Set<String> unqualified = core.exports().stream().filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    assertThat(unqualified).containsExactlyInAnyOrder("org.drift4j", "org.drift4j.spi");
    Map<String, Set<String>> qualified = core.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
        .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
    assertThat(qualified.keySet()).containsExactly("org.drift4j.internal");
    assertThat(qualified.get("org.drift4j.internal")).allMatch(m -> m.startsWith("org.drift4j."));
    assertThat(core.opens()).isEmpty();
  }

  @Test
  void noCompiledCoreClassReferencesABackendPackage() throws IOException {
    List<String> backends = new ArrayList<>(ModuleBoundaries.DL4J_PACKAGES);
    backends.add(ModuleBoundaries.ONNX_RUNTIME_PACKAGE);
    ModuleBoundaries.check("org.drift4j", Path.of("target/classes"), backends);
    assertThat(Path.of("target/classes/org/drift4j")).isDirectory();
  }

  @Test
  void theInternalPackageHoldsOnlyWhatOtherDrift4jModulesNeed() {
    assertThat(ModuleBoundaries.coreDescriptor().packages())
        .containsExactlyInAnyOrder("org.drift4j", "org.drift4j.spi", "org.drift4j.internal");
  }

  @Test
  void everyPublicTypeStatesItsThreadSafety() throws IOException {
    org.drift4j.testkit.PublicTypeDocs.check(Path.of("src/main/java"));
  }
}
