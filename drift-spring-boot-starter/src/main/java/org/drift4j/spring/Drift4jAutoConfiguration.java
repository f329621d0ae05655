package org.drift4j.spring;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftDetectorConfig;
import org.drift4j.DriftListener;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftPolicy;
import org.drift4j.MonitorCalibrationCache;
import org.drift4j.MonitorListener;
import org.drift4j.micrometer.DriftMetrics;
import org.drift4j.spi.Autoencoder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;

/**
 * Auto-configuration of Drift4j from {@code drift4j.*} properties ({@link Drift4jProperties}): it
 * loads the model (ONNX Runtime by default, DL4J with {@code drift4j.model.engine=dl4j}) and the
 * baseline, checks that they fit, and provides a {@link DriftMonitor} and a {@link DriftDetector}
 * (each unless the application defines its own), {@link Drift4jAlarms}, the {@code drift4j}
 * health indicator and endpoint when Actuator is present, and {@link DriftMetrics} meters for
 * Micrometer. {@link MonitorListener} and {@link DriftListener} beans are added to the monitor and
 * the detector. {@code drift4j.enabled=false} turns it all off.
 *
 * <p>When the model or baseline cannot be used and {@code drift4j.fail-on-missing-baseline=false},
 * the DriftMonitor and DriftDetector beans are absent (inject {@code ObjectProvider<DriftMonitor>}
 * and call {@code ifAvailable}), and health is DOWN with the reason.
 *
 * <p>Thread-safe: Spring calls it once per context.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "drift4j.enabled", matchIfMissing = true)
@EnableConfigurationProperties(Drift4jProperties.class)
public final class Drift4jAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(Drift4jAutoConfiguration.class);

  /** Spring creates it. */
  public Drift4jAutoConfiguration() {}

  @Bean
  DriftSetup drift4jSetup(Drift4jProperties properties, ObjectProvider<ModelLoader> loaders) {
    return DriftSetup.load(properties, loaders.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean
  @Nullable DriftMonitor driftMonitor(DriftSetup setup, ObjectProvider<MonitorListener> listeners) {
    Autoencoder autoencoder = setup.autoencoder();
    Baseline baseline = setup.baseline();
    if (autoencoder == null || baseline == null) {
      return null;
    }
    Drift4jProperties.Monitor settings = setup.properties().monitor();
    DriftMonitor.Builder builder = DriftMonitor.builder(autoencoder, baseline).config(settings.toConfig());
    listeners.orderedStream().forEach(builder::listener);
    Path cache = calibrationCache(settings.calibrationCache(), setup.properties().baseline().location(), baseline);
    if (cache != null) {
      builder.calibrationCache(cache);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException | UncheckedIOException e) {
      String message = "no monitor of the baseline " + setup.baselineLocation() + " with drift4j.monitor.expected-run-time="
          + settings.expectedRunTime() + " and drift4j.monitor.confidence=" + settings.confidence() + " could be built: "
          + e.getMessage();
      if (setup.properties().failOnMissingBaseline()) {
        throw new IllegalStateException("Drift4j: " + message, e);
      }
      LOG.warn("Drift4j: {}; starting without drift monitoring (drift4j.fail-on-missing-baseline=false), health DOWN",
          message);
      setup.fail(message);
      return null;
    }
  }

  @Bean
  @ConditionalOnMissingBean
  @Nullable DriftDetector driftDetector(DriftSetup setup, ObjectProvider<DriftMonitor> monitor,
      ObjectProvider<DriftListener> listeners) {
    monitor.getIfAvailable(); // built first: a monitor that cannot be built leaves no detector either
    Autoencoder autoencoder = setup.autoencoder();
    Baseline baseline = setup.baseline();
    if (autoencoder == null || baseline == null) {
      return null;
    }
    DriftDetector.Builder builder = DriftDetector.builder(autoencoder, baseline)
        .config(DriftDetectorConfig.custom().policy(DriftPolicy.rankTest(setup.properties().detector().alpha())).build());
    listeners.orderedStream().forEach(builder::listener);
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean
  Drift4jAlarms drift4jAlarms(ObjectProvider<DriftMonitor> monitor, Drift4jProperties properties) {
    return new Drift4jAlarms(monitor.getIfAvailable(), properties.health().alarmHold(), Clock.systemUTC());
  }

  /**
   * The calibration cache: the configured file; else beside the baseline when it is a file in a
   * writable folder; else a file named by the baseline's id under {@code java.io.tmpdir}/drift4j;
   * null when none of them can be written.
   */
  static @Nullable Path calibrationCache(@Nullable Path configured, @Nullable Resource baselineResource,
      Baseline baseline) {
    if (configured != null) {
      return configured;
    }
    try {
      if (baselineResource != null && baselineResource.isFile()) {
        Path file = baselineResource.getFile().toPath().toAbsolutePath();
        Path folder = file.getParent();
        if (folder != null && Files.isDirectory(folder) && Files.isWritable(folder)) {
          return MonitorCalibrationCache.beside(file);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("Drift4j: the baseline is not a file; the calibration cache goes to the temporary folder", e);
    }
    Path folder = Path.of(System.getProperty("java.io.tmpdir"), "drift4j");
    try {
      Files.createDirectories(folder);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Drift4j: no calibration cache ({} cannot be created: {}); the monitor calibrates at every start",
          folder, e.toString());
      return null;
    }
    if (!Files.isWritable(folder)) {
      LOG.warn("Drift4j: no calibration cache ({} is not writable); the monitor calibrates at every start", folder);
      return null;
    }
    return folder.resolve(baseline.id() + MonitorCalibrationCache.SUFFIX);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.drift4j.onnx.OnnxAutoencoder")
  static final class OnnxEngineConfiguration {

    @Bean
    ModelLoader drift4jOnnxModelLoader() {
      return new OnnxModelLoader();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.drift4j.dl4j.Dl4jAutoencoder")
  static final class Dl4jEngineConfiguration {

    @Bean
    ModelLoader drift4jDl4jModelLoader() {
      return new Dl4jModelLoader();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static final class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "drift4jMonitorMetrics")
    @Nullable DriftMetrics drift4jMonitorMetrics(ObjectProvider<DriftMonitor> monitor, Drift4jProperties properties) {
      DriftMonitor m = monitor.getIfAvailable();
      return m == null ? null : DriftMetrics.of(m, properties.name());
    }

    @Bean
    @ConditionalOnMissingBean(name = "drift4jDetectorMetrics")
    @Nullable DriftMetrics drift4jDetectorMetrics(ObjectProvider<DriftDetector> detector, Drift4jProperties properties) {
      DriftDetector d = detector.getIfAvailable();
      return d == null ? null : DriftMetrics.of(d, properties.name());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnEnabledHealthIndicator("drift4j")
  static final class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "drift4jHealthIndicator")
    Drift4jHealthIndicator drift4jHealthIndicator(DriftSetup setup, Drift4jAlarms alarms) {
      return new Drift4jHealthIndicator(setup, alarms);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  @ConditionalOnAvailableEndpoint(Drift4jEndpoint.class)
  static final class EndpointConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Drift4jEndpoint drift4jEndpoint(DriftSetup setup, Drift4jAlarms alarms) {
      return new Drift4jEndpoint(setup, alarms);
    }
  }
}
