package org.drift4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.drift4j.DriftDetectorConfig;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.ImagePreprocessing;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every drift4j property is bound and checked at start-up; a wrong value names key, rule and value. */
class Drift4jPropertiesTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(Drift4jAutoConfiguration.class))
      .withPropertyValues(TestModels.fileProperties());

  /** The messages of a failure and its causes, joined. */
  static String messages(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return String.join(" | ", messages);
  }

  /**
   * The first of a failure and its causes whose message starts with {@code prefix}: Spring wraps
   * the starter's exception, and the starter's may carry a cause of its own.
   */
  static Throwable failureStartingWith(Throwable failure, String prefix) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().startsWith(prefix)) {
        return t;
      }
    }
    throw new AssertionError("no exception with a message starting with '" + prefix + "' in: " + messages(failure));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = ';', value = {
      "drift4j.name; ''; drift4j.name must not be blank (it tags every drift4j meter), but was ''",
      "drift4j.model.threads; 0; drift4j.model.threads must be at least 1, but was 0",
      "drift4j.baseline.preprocessing; resize:cubic; drift4j.baseline.preprocessing must be none, resize:nearest,"
          + " resize:bilinear or resize:area, but was 'resize:cubic'",
      "drift4j.monitor.expected-run-time; 0; drift4j.monitor.expected-run-time must be at least 1, but was 0",
      "drift4j.monitor.confidence; 1; drift4j.monitor.confidence must be greater than 0 and lower than 1, but was 1.0",
      "drift4j.monitor.confidence; 0; drift4j.monitor.confidence must be greater than 0 and lower than 1, but was 0.0",
      "drift4j.monitor.window; 0; drift4j.monitor.window must be between 1 and 1000000, but was 0",
      "drift4j.monitor.window; 1000001; drift4j.monitor.window must be between 1 and 1000000, but was 1000001",
      "drift4j.detector.alpha; 0; drift4j.detector.alpha must be greater than 0 and lower than 1, but was 0.0",
      "drift4j.detector.alpha; 1.5; drift4j.detector.alpha must be greater than 0 and lower than 1, but was 1.5",
      "drift4j.health.alarm-status; drift alarm; drift4j.health.alarm-status must be a status code of letters,"
          + " digits, '_' or '-' starting with a letter (e.g. DEGRADED, DOWN, OUT_OF_SERVICE), but was 'drift alarm'",
      "drift4j.health.alarm-hold; -1s; drift4j.health.alarm-hold must not be negative, but was PT-1S"})
  void anOutOfRangeValueStopsStartUpNamingKeyRuleAndValue(String key, String value, String message) {
    runner.withPropertyValues(key + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      assertThat(failureStartingWith(context.getStartupFailure(), key)).hasMessage(message);
    });
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = ';', value = {
      "drift4j.model.engine; tensorflow; Engine",
      "drift4j.monitor.after-alarm; sometimes; AfterAlarm",
      "drift4j.monitor.expected-run-time; lots; long",
      "drift4j.health.alarm-hold; soon; java.time.Duration",
      "drift4j.fail-on-missing-baseline; perhaps; boolean"})
  void aValueOfTheWrongTypeStopsStartUpNamingKeyTypeAndValue(String key, String value, String type) {
    runner.withPropertyValues(key + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure())).contains("'" + key + "'", type, value);
    });
  }

  @Test
  void theLocationsAreRequired() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(Drift4jAutoConfiguration.class))
        .withPropertyValues("drift4j.baseline.location=file:/nowhere/baseline.json").run(context ->
            assertThat(context.getStartupFailure()).rootCause().hasMessage("drift4j.model.location must be set to the"
                + " model's location (file:, classpath: or http(s): URL), but was not set"));
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(Drift4jAutoConfiguration.class))
        .withPropertyValues("drift4j.model.location=file:/nowhere/model.onnx").run(context ->
            assertThat(context.getStartupFailure()).rootCause().hasMessage("drift4j.baseline.location must be set to"
                + " the baseline's location (file:, classpath: or http(s): URL), but was not set"));
  }

  @Test
  void theDl4jEngineWithoutDriftDl4jOnTheClassPathStopsStartUpNamingTheDependency() {
    runner.withClassLoader(new FilteredClassLoader(Dl4jAutoencoder.class)).withPropertyValues(
        "drift4j.model.engine=dl4j", "drift4j.model.location=" + TestModels.Models.location(TestModels.models().dl4j()))
        .run(context -> assertThat(context.getStartupFailure()).rootCause().hasMessage("drift4j.model.engine is dl4j,"
            + " but drift-dl4j is not on the class path: add the dependency org.drift4j:drift-dl4j (the drift-bom"
            + " manages its version)"));
  }

  @Test
  void theDefaultsAreDriftCoresDefaults() {
    runner.run(context -> {
      Drift4jProperties p = context.getBean(Drift4jProperties.class);
      assertThat(p.enabled()).isTrue();
      assertThat(p.name()).isEqualTo("default");
      assertThat(p.failOnMissingBaseline()).isTrue();
      assertThat(p.model().engine()).isEqualTo(Drift4jProperties.Engine.ONNX);
      assertThat(p.model().threads()).isNull();
      assertThat(p.baseline().expectedPreprocessing()).isEmpty();
      assertThat(p.monitor().confidence()).isEqualTo(DriftMonitorConfig.DEFAULT_CONFIDENCE);
      assertThat(p.monitor().afterAlarm()).isEqualTo(DriftMonitorConfig.AfterAlarm.RESTART);
      assertThat(p.monitor().window()).isEqualTo(DriftMonitorConfig.DEFAULT_WINDOW_IMAGES);
      assertThat(p.monitor().calibrationCache()).isNull();
      assertThat(p.detector().alpha()).isEqualTo(DriftDetectorConfig.DEFAULT_ALPHA);
      assertThat(p.health().alarmStatus()).isEqualTo(Drift4jProperties.DEFAULT_ALARM_STATUS);
      assertThat(p.health().alarmHold()).isEqualTo(Drift4jProperties.DEFAULT_ALARM_HOLD);
    });
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(Drift4jAutoConfiguration.class))
        .withPropertyValues(TestModels.fileProperties()[0], TestModels.fileProperties()[1], "drift4j.enabled=false")
        .withPropertyValues("drift4j.monitor.expected-run-time=10000").run(context ->
            assertThat(context).doesNotHaveBean(Drift4jProperties.class));
    assertThat(new Drift4jProperties.Monitor(10_000, 0.95, null, 1_000, null).toConfig())
        .isEqualTo(DriftMonitorConfig.ofDefaults());
  }

  @Test
  void everyValueReachesWhatItConfigures() {
    Path cache = TestModels.models().dir().resolve("configured.monitor-calibration.json");
    runner.withPropertyValues("drift4j.name=classifier", "drift4j.model.threads=1",
        "drift4j.baseline.preprocessing=resize:bilinear", "drift4j.monitor.expected-run-time=500",
        "drift4j.monitor.confidence=0.9", "drift4j.monitor.after-alarm=latch", "drift4j.monitor.window=50",
        "drift4j.monitor.calibration-cache=" + cache, "drift4j.detector.alpha=0.05",
        "drift4j.health.alarm-status=out-of-service", "drift4j.health.alarm-hold=5m").run(context -> {
          Drift4jProperties p = context.getBean(Drift4jProperties.class);
          assertThat(p.name()).isEqualTo("classifier");
          assertThat(p.model().threads()).isEqualTo(1);
          assertThat(p.baseline().expectedPreprocessing()).contains(TestModels.PREPROCESSING);
          assertThat(p.baseline().expectedPreprocessing().map(ImagePreprocessing::id)).contains("resize:bilinear");
          assertThat(p.monitor().calibrationCache()).isEqualTo(cache);
          assertThat(p.health().alarmStatus()).isEqualTo("OUT_OF_SERVICE");
          assertThat(p.health().alarmHold()).isEqualTo(Duration.ofMinutes(5));
          DriftMonitorConfig config = context.getBean(DriftMonitor.class).config();
          assertThat(config).isEqualTo(DriftMonitorConfig.custom().expectedRunTime(500).confidence(0.9)
              .afterAlarm(DriftMonitorConfig.AfterAlarm.LATCH).windowImages(50).build());
          assertThat(cache).exists();
          assertThat(context.getBean(Drift4jAlarms.class).hold()).isEqualTo(Duration.ofMinutes(5));
          assertThat(context.getBean(org.drift4j.DriftDetector.class).config().policy().name()).contains("0.05");
        });
  }
}
