package org.drift4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.testkit.Fakes;
import org.junit.jupiter.api.Test;

class DriftMetricsTest {

  private static final ImageShape PIXEL = ImageShape.grey(1, 1);

  /** Errors uniform on [0, 1): with the blank fake, an image of pixel √e has error e. */
  private static Baseline baseline() {
    return Baseline.of(new SplittableRandom(1).doubles(1_000).toArray(), ReconstructionError.MEAN_SQUARED_ERROR, PIXEL,
        "blank", Instant.EPOCH);
  }

  private static DriftMonitor monitor() {
    return DriftMonitor.builder(Fakes.blank(PIXEL), baseline())
        .config(DriftMonitorConfig.custom().expectedRunTime(500).build()).build();
  }

  @Test
  void aMonitorsMetersCountImagesOutliersAndAlarmsAndShowItsStatistic() {
    DriftMonitor monitor = monitor();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DriftMetrics.of(monitor, "digits").bindTo(registry);
    monitor.observe(Fakes.withErrors(0.1, 0.5, 0.999));
    double[] high = new double[60];
    java.util.Arrays.fill(high, 0.9999);
    monitor.observe(Fakes.withErrors(high));
    assertThat(registry.get("drift4j.monitor.images").counter().count()).isEqualTo(63);
    assertThat(registry.get("drift4j.monitor.outliers").counter().count()).isEqualTo(61);
    assertThat(registry.get("drift4j.monitor.alarms").counter().count())
        .isEqualTo(monitor.status().alarms()).isPositive();
    assertThat(registry.get("drift4j.monitor.observe").timer().count()).isEqualTo(2);
    assertThat(registry.get("drift4j.monitor.error").summary().count()).isEqualTo(63);
    assertThat(registry.get("drift4j.monitor.threshold").gauge().value()).isEqualTo(monitor.status().threshold());
    assertThat(registry.get("drift4j.monitor.statistic").gauge().value()).isEqualTo(monitor.status().statistic());
    assertThat(registry.get("drift4j.monitor.images.since.restart").gauge().value())
        .isEqualTo(monitor.status().imagesSinceRestart());
    Counter images = registry.get("drift4j.monitor.images").counter();
    assertThat(images.getId().getTag("name")).isEqualTo("digits");
    assertThat(images.getId().getTag("model")).isEqualTo("blank");
    assertThat(images.getId().getTag("baseline")).isEqualTo(monitor.baseline().id());
  }

  @Test
  void aDetectorsMetersCountChecksDriftsAndKeepTheLastPValue() {
    DriftDetector detector = DriftDetector.builder(Fakes.blank(PIXEL), baseline()).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DriftMetrics.of(detector, "digits").bindTo(registry);
    assertThat(registry.get("drift4j.check.p.value").gauge().value()).isNaN();
    double p = detector.check(Fakes.withErrors(0.1, 0.4, 0.6)).decision().pValue();
    detector.check(Fakes.withErrors(0.9999, 0.9999, 0.9999, 0.9999));
    assertThat(registry.get("drift4j.check").timer().count()).isEqualTo(2);
    assertThat(registry.get("drift4j.check.images").counter().count()).isEqualTo(7);
    assertThat(registry.get("drift4j.check.drifts").counter().count()).isEqualTo(1);
    assertThat(registry.get("drift4j.check.p.value").gauge().value()).isLessThan(0.01).isNotEqualTo(p);
  }

  @Test
  void prometheusScrapesFollowItsNamingWithBaseUnits() {
    DriftMonitor monitor = monitor();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DriftMetrics.of(monitor, "digits").bindTo(registry);
    monitor.observe(Fakes.withErrors(0.2, 0.3));
    String text = registry.scrape();
    assertThat(text)
        .contains("drift4j_monitor_images_total{baseline=\"" + monitor.baseline().id() + "\",model=\"blank\",name=\"digits\"} 2")
        .contains("drift4j_monitor_observe_seconds_count{")
        .contains("drift4j_monitor_alarms_total{")
        .contains("drift4j_monitor_level{")
        .contains("drift4j_monitor_error_count{");
  }

  @Test
  void bindingTwiceToOneRegistryCountsOnceAndClosingStopsTheCounting() {
    DriftMonitor monitor = monitor();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DriftMetrics metrics = DriftMetrics.of(monitor, "digits");
    metrics.bindTo(registry);
    metrics.bindTo(registry);
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    metrics.bindTo(second);
    monitor.observe(Fakes.withErrors(0.2));
    assertThat(registry.get("drift4j.monitor.images").counter().count()).isEqualTo(1);
    assertThat(second.get("drift4j.monitor.images").counter().count()).isEqualTo(1);
    metrics.close();
    monitor.observe(Fakes.withErrors(0.2));
    assertThat(registry.get("drift4j.monitor.images").counter().count()).isEqualTo(1);
  }

  @Test
  void aFailingRegistryNeverFailsARequest() {
    DriftMonitor monitor = monitor();
    MeterRegistry broken = new SimpleMeterRegistry() {
      @Override
      protected Counter newCounter(io.micrometer.core.instrument.Meter.Id id) {
        Counter real = super.newCounter(id);
        return new Counter() {
          @Override
          public void increment(double amount) {
            throw new IllegalStateException("registry down");
          }

          @Override
          public double count() {
            return real.count();
          }

          @Override
          public Id getId() {
            return real.getId();
          }
        };
      }
    };
    DriftMetrics.of(monitor, "digits").bindTo(broken);
    assertThat(monitor.observe(Fakes.withErrors(0.2, 0.3)).size()).isEqualTo(2);
    assertThat(monitor.status().images()).isEqualTo(2);
  }

  @Test
  void aBlankNameIsRefused() {
    assertThatThrownBy(() -> DriftMetrics.of(monitor(), " ")).hasMessage("name must not be blank: it tags every meter");
  }
}
