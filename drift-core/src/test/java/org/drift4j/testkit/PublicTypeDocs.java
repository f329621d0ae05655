package org.drift4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every top-level public type of a published module says in its javadoc how it behaves across
 * threads: immutable, thread-safe, or not. A source scan, run by each module's tests.
 */
public final class PublicTypeDocs {

  private static final Pattern PUBLIC_TYPE = Pattern.compile(
      "^public (?:final |abstract |sealed |non-sealed )*(?:class|interface|record|enum|@interface) ", Pattern.MULTILINE);
  private static final Pattern THREADS = Pattern.compile("(?i)thread|immutable|stateless");

  private PublicTypeDocs() {}

  /**
   * Checks the sources under {@code sourceRoot} (a module's {@code src/main/java}).
   *
   * @param sourceRoot the main sources
   */
  public static void check(Path sourceRoot) throws IOException {
    List<String> undocumented = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sourceRoot)) {
      files = walk.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")).toList();
    }
    assertThat(files).as("sources in %s", sourceRoot).isNotEmpty();
    for (Path file : files) {
      String source = Files.readString(file, StandardCharsets.UTF_8);
      Matcher m = PUBLIC_TYPE.matcher(source);
      if (!m.find()) {
        continue;
      }
      int docStart = source.lastIndexOf("/**", m.start());
      String doc = docStart < 0 ? "" : source.substring(docStart, m.start());
      if (!THREADS.matcher(doc).find()) {
        undocumented.add(sourceRoot.relativize(file).toString());
      }
    }
    assertThat(undocumented).as("public types whose javadoc does not state their thread safety").isEmpty();
  }
}
