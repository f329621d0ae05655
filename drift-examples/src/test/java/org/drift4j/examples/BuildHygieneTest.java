package org.drift4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The bill of materials and the README's installation section keep up with the modules. */
class BuildHygieneTest {

  private static final Path ROOT = Path.of("..");
  /** Modules that are not published libraries. */
  private static final List<String> UNPUBLISHED = List.of("drift-bom", "drift-examples");

  private static List<String> publishedModules() throws IOException {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    List<String> modules = new java.util.ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1));
    }
    return modules.stream().filter(x -> !UNPUBLISHED.contains(x)).collect(Collectors.toList());
  }

  @Test
  void theBillOfMaterialsListsEveryPublishedModule() throws IOException {
    String bom = Files.readString(ROOT.resolve("drift-bom/pom.xml"));
    assertThat(publishedModules()).isNotEmpty().allSatisfy(module ->
        assertThat(bom).as("drift-bom lists %s", module).contains("<artifactId>" + module + "</artifactId>"));
  }

  @Test
  void theReadmeNamesEveryPublishedModule() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(publishedModules()).allSatisfy(module ->
        assertThat(readme).as("README mentions %s", module).contains("`" + module + "`"));
    assertThat(readme).contains("<artifactId>drift-bom</artifactId>");
  }
}
