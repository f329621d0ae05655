package org.drift4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftDetector;
import org.drift4j.DriftMonitor;
import org.drift4j.ReconstructionError;
import org.drift4j.onnx.OnnxVerification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The model and baseline load from files, the class path (a folder or a jar) and HTTP; one that
 * is missing or does not fit fails start-up naming both locations, or, when configured, leaves
 * the application running without a monitor and health DOWN.
 */
class DriftSetupTest {

  private final TestModels.Models models = TestModels.models();
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(Drift4jAutoConfiguration.class))
      .withPropertyValues("drift4j.monitor.expected-run-time=1000");

  @TempDir
  Path dir;

  private ApplicationContextRunner with(String model, String baseline) {
    return runner.withPropertyValues("drift4j.model.location=" + model, "drift4j.baseline.location=" + baseline);
  }

  private static String file(Path p) {
    return TestModels.Models.location(p);
  }

  /** How messages and health name a file: its URL without the empty authority. */
  private static String named(Path p) {
    return "file:" + p.toAbsolutePath();
  }

  /** The starter's own exception in a start-up failure (Spring wraps it; a cause may follow it). */
  private static Throwable drift4j(Throwable failure) {
    return Drift4jPropertiesTest.failureStartingWith(failure, "Drift4j:");
  }

  @Test
  void aVerifiedOnnxExportFromTheClassPathKeepsItsDl4jFingerprintAndBaseline() {
    with("classpath:drift4j-models/model.onnx", "classpath:drift4j-models/baseline.json").run(context -> {
      DriftMonitor monitor = context.getBean(DriftMonitor.class);
      assertThat(monitor.autoencoderFingerprint()).isEqualTo(models.fingerprint()).startsWith("sha256:");
      assertThat(monitor.baseline().count()).isEqualTo(TestModels.BASELINE_IMAGES);
    });
  }

  @Test
  void fromAJarOnTheClassPathTheExportKeepsItsFingerprintAndTheBareCopyIsRefused() throws IOException {
    try (URLClassLoader jar = new URLClassLoader(new URL[] {models.jar().toUri().toURL()}, getClass().getClassLoader())) {
      ApplicationContextRunner fromJar = runner.withClassLoader(jar);
      fromJar.withPropertyValues("drift4j.model.location=classpath:drift/model.onnx",
          "drift4j.baseline.location=classpath:drift/baseline.json").run(context -> {
            assertThat(jar.getResource("drift/model.onnx").getProtocol()).isEqualTo("jar");
            assertThat(context.getBean(DriftMonitor.class).autoencoderFingerprint()).isEqualTo(models.fingerprint());
          });
      fromJar.withPropertyValues("drift4j.model.location=classpath:drift/model.zip", "drift4j.model.engine=dl4j",
          "drift4j.baseline.location=classpath:drift/baseline.json").run(context ->
              assertThat(context.getBean(DriftMonitor.class).autoencoderFingerprint()).isEqualTo(models.fingerprint()));
      fromJar.withPropertyValues("drift4j.model.location=classpath:bare/model.onnx",
          "drift4j.baseline.location=classpath:drift/baseline.json").run(context ->
              assertThat(drift4j(context.getStartupFailure())).hasMessageStartingWith("Drift4j: the baseline"
                  + " classpath:drift/baseline.json does not fit the model classpath:bare/model.onnx (engine onnx): the"
                  + " baseline was computed with the model " + models.fingerprint() + ", but this model's fingerprint"
                  + " is onnx-sha256:").hasMessageContaining("verification record"));
    }
  }

  @Test
  void overHttpTheModelItsVerificationRecordAndTheBaselineLoad() throws IOException {
    Map<String, Path> served = Map.of("/m/model.onnx", models.onnx(), "/m/model.onnx" + OnnxVerification.SUFFIX,
        OnnxVerification.pathFor(models.onnx()), "/b/baseline.json", models.baseline());
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      Path file = served.get(exchange.getRequestURI().getPath());
      byte[] body = file == null ? new byte[0] : Files.readAllBytes(file);
      exchange.sendResponseHeaders(file == null ? 404 : 200, file == null ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      with(base + "/m/model.onnx?token=secret", base + "/b/baseline.json").run(context ->
          assertThat(context.getBean(DriftMonitor.class).autoencoderFingerprint()).isEqualTo(models.fingerprint()));
      with(base + "/m/model.onnx", base + "/b/absent.json?X-Amz-Signature=secret").run(context ->
          assertThat(drift4j(context.getStartupFailure())).hasMessageStartingWith("Drift4j: the baseline " + base
              + "/b/absent.json (drift4j.baseline.location) for the model " + base + "/m/model.onnx could not be read:"
              + " not found").hasMessageNotContaining("secret"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aMissingBaselineStopsStartUpNamingBothLocations() {
    Path absent = dir.resolve("absent.json");
    with(file(models.onnx()), file(absent)).run(context -> assertThat(drift4j(context.getStartupFailure()))
        .hasMessage("Drift4j: the baseline " + named(absent) + " (drift4j.baseline.location) for the model "
            + named(models.onnx()) + " could not be read: not found (set"
            + " drift4j.fail-on-missing-baseline=false to start without drift monitoring, health DOWN)"));
  }

  @Test
  void aCorruptBaselineOrModelStopsStartUpWithWhatIsWrong() throws IOException {
    Path corrupt = Files.writeString(dir.resolve("baseline.json"), "{\"format\": \"drift4j-baseline\"");
    with(file(models.onnx()), file(corrupt)).run(context -> assertThat(drift4j(context.getStartupFailure()))
        .hasMessageStartingWith("Drift4j: the baseline " + named(corrupt) + " (drift4j.baseline.location) for the"
            + " model " + named(models.onnx()) + " could not be read: " + corrupt.toUri().toURL()));
    Path notAModel = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    with(file(notAModel), file(models.baseline())).run(context -> assertThat(drift4j(context.getStartupFailure()))
        .hasMessageStartingWith("Drift4j: the model " + named(notAModel) + " (drift4j.model.location, engine onnx)"
            + " for the baseline " + named(models.baseline()) + " could not be loaded: "));
    with(file(dir.resolve("absent.onnx")), file(models.baseline())).run(context ->
        assertThat(drift4j(context.getStartupFailure())).hasMessageContaining("could not be loaded: not found"));
  }

  @Test
  void aBaselineThatDoesNotFitTheModelStopsStartUpWithTheMismatch() {
    with(file(models.otherShape()), file(models.baseline())).run(context -> assertThat(drift4j(context.getStartupFailure()))
        .hasMessageStartingWith("Drift4j: the baseline " + named(models.baseline()) + " does not fit the"
            + " model " + named(models.otherShape()) + " (engine onnx): the baseline's image shape must equal the"
            + " model's input shape 1x16x16, but was 1x28x28"));
    with(file(models.onnx()), file(models.baseline())).withPropertyValues("drift4j.baseline.preprocessing=resize:area")
        .run(context -> assertThat(drift4j(context.getStartupFailure())).hasMessageContaining("(engine onnx):"
            + " drift4j.baseline.preprocessing is resize:area, but the baseline's images were made with"
            + " resize:bilinear"));
  }

  @Test
  void aBaselineTooSmallForTheExpectedRunTimeStopsStartUpWithTheNumbers() throws IOException {
    Path small = smallBaseline();
    with(file(models.onnx()), file(small)).withPropertyValues("drift4j.monitor.expected-run-time=100000").run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessageStartingWith("a baseline of 30 errors cannot"
            + " support expectedRunTime 100000").satisfies(e -> assertThat(Drift4jPropertiesTest.messages(
                context.getStartupFailure())).contains("Drift4j: no monitor of the baseline " + named(small)
                    + " with drift4j.monitor.expected-run-time=100000 and drift4j.monitor.confidence=0.95")));
  }

  @Test
  void withFailOnMissingBaselineOffTheApplicationStartsWithoutMonitorAndHealthIsDownWithTheReason() throws IOException {
    Path small = smallBaseline();
    Object[][] cases = {
        {models.onnx(), dir.resolve("absent.json"), "could not be read: not found"},
        {models.otherShape(), models.baseline(), "does not fit the model"},
        {dir.resolve("absent.onnx"), models.baseline(), "could not be loaded: not found"},
        {models.onnx(), small, "cannot support expectedRunTime 100000"}};
    for (Object[] c : cases) {
      Path model = (Path) c[0];
      Path baseline = (Path) c[1];
      with(file(model), file(baseline)).withPropertyValues("drift4j.fail-on-missing-baseline=false",
          "drift4j.monitor.expected-run-time=100000").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanProvider(DriftMonitor.class).getIfAvailable()).isNull();
            assertThat(context.getBeanProvider(DriftDetector.class).getIfAvailable()).isNull();
            assertThat(context.getBean(Drift4jAlarms.class).monitor()).isEmpty();
            Health health = context.getBean(Drift4jHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("model", named(model)).containsEntry("baseline", named(baseline))
                .containsEntry("engine", "onnx");
            assertThat((String) health.getDetails().get("reason")).contains((String) c[2]);
          });
    }
  }

  private Path smallBaseline() throws IOException {
    Baseline big = BaselineStore.read(models.baseline());
    double[] errors = DoubleStream.iterate(0.2, e -> e + 0.001).limit(30).toArray();
    Baseline small = Baseline.of(errors, ReconstructionError.BINARY_CROSS_ENTROPY, big.shape(),
        big.autoencoderFingerprint(), Instant.parse("2026-12-02T12:00:00Z")).withPreprocessing(big.preprocessing());
    Path file = dir.resolve("small.json");
    BaselineStore.write(small, file);
    return file;
  }
}
