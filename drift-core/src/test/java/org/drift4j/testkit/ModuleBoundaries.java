package org.drift4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.drift4j.DriftDetector;

/**
 * The architecture rules every Drift4j module's tests check on its compiled classes: no class
 * references a drift-core package that drift-core's {@code module-info} does not export to that
 * module, and a module names none of the packages it is kept from (only drift-dl4j names DL4J,
 * ND4J or JavaCPP types). A class-file scan: class names
 * stand in the constant pool as {@code org/drift4j/...} strings.
 */
public final class ModuleBoundaries {

  /** Packages of the DL4J stack, which only drift-dl4j may name. */
  public static final List<String> DL4J_PACKAGES = List.of("org/nd4j/", "org/deeplearning4j/", "org/bytedeco/");

  /** ONNX Runtime's package, which drift-core must not name either. */
  public static final String ONNX_RUNTIME_PACKAGE = "ai/onnxruntime/";

  private static final Pattern DRIFT4J_CLASS = Pattern.compile("org/drift4j/((?:[a-z0-9_]+/)*)[A-Za-z0-9_$]+");

  private ModuleBoundaries() {}

  /** {@return drift-core's module descriptor, read from its compiled module-info wherever it lies} */
  public static ModuleDescriptor coreDescriptor() {
    try {
      Path location = Path.of(DriftDetector.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
          return ModuleDescriptor.read(in);
        }
      }
      try (FileSystem jar = FileSystems.newFileSystem(location);
          InputStream in = Files.newInputStream(jar.getPath("module-info.class"))) {
        return ModuleDescriptor.read(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("drift-core's module-info.class could not be read", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks the classes under {@code classes} (a module's {@code target/classes}) against the rules.
   *
   * @param moduleName the module's name, as qualified exports name it
   * @param classes the compiled classes
   * @param forbidden class-name prefixes the module must not name, e.g. {@link #DL4J_PACKAGES}
   * @return the drift-core packages the module uses, for the caller's own assertions
   */
  public static Set<String> check(String moduleName, Path classes, List<String> forbidden) throws IOException {
    assertThat(classes).as("run through Maven: compiled classes expected in %s", classes.toAbsolutePath()).isDirectory();
    ModuleDescriptor core = coreDescriptor();
    Set<String> corePackages = core.packages();
    Set<String> used = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
    }
    assertThat(files).as("compiled classes in %s", classes).isNotEmpty();
    for (Path file : files) {
      String pool = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String prefix : forbidden) {
        assertThat(pool).as("%s names %s, which %s must not", classes.relativize(file), prefix, moduleName)
            .doesNotContain(prefix);
      }
      Matcher m = DRIFT4J_CLASS.matcher(pool);
      while (m.find()) {
        String pkg = ("org/drift4j/" + m.group(1)).replaceAll("/$", "").replace('/', '.');
        if (corePackages.contains(pkg) && !moduleName.equals(core.name())) {
          used.add(pkg);
          assertThat(isExportedTo(core, pkg, moduleName))
              .as("%s uses drift-core's package %s, which drift-core does not export to %s",
                  classes.relativize(file), pkg, moduleName)
              .isTrue();
        }
      }
    }
    return used;
  }

  private static boolean isExportedTo(ModuleDescriptor core, String pkg, String moduleName) {
    return core.exports().stream().anyMatch(e -> e.source().equals(pkg)
        && (!e.isQualified() || e.targets().contains(moduleName)));
  }
}
