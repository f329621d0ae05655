package org.drift4j.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.drift4j.DriftAlarm;
import org.drift4j.DriftDetector;
import org.drift4j.DriftListener;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftReport;
import org.drift4j.MonitorListener;
import org.drift4j.MonitorObservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a {@link DriftMonitor} or a {@link DriftDetector} to a Micrometer {@link MeterRegistry},
 * following Micrometer's conventions: lower-case dotted names (the Prometheus registry writes
 * {@code drift4j_monitor_images_total}), base units (seconds for timers), and three bounded tags
 * on every meter: {@code name} (what the caller calls this monitor), {@code model} (the first 12
 * hex digits of the autoencoder's fingerprint) and {@code baseline} (the baseline's id).
 *
 * <pre>{@code
 * DriftMetrics.of(monitor, "classifier").bindTo(registry);
 * }</pre>
 *
 * <p>A monitor gets {@value #MONITOR}{@code .observe} (a timer of {@code observe} calls),
 * {@code .images}, {@code .outliers} and {@code .alarms} (counters), {@code .error} (a distribution
 * summary of the images' reconstruction errors), and the gauges {@code .statistic},
 * {@code .threshold}, {@code .level} (statistic over threshold: 1 alarms), {@code .images.since.restart}
 * and {@code .latched} (1 while an alarm stands). A detector gets {@value #CHECK} (a timer of
 * {@code check} calls), {@code .images}, {@code .outliers} and {@code .drifts} (counters),
 * {@code .error} and the gauge {@code .p.value} (the last check's; NaN before the first).
 *
 * <p>The meters are fed by a listener added to the monitor or detector; a failing registry never
 * fails a request (the error is logged once). Binding to several registries is supported; binding
 * twice to one registry adds nothing. {@link #close()} removes the listeners (the meters stay in
 * the registries, as Micrometer's binders leave them).
 *
 * <p>Thread-safe.
 */
public final class DriftMetrics implements MeterBinder, AutoCloseable {

  /** Prefix of a monitor's meters. */
  public static final String MONITOR = "drift4j.monitor";

  /** Prefix of a detector's meters. */
  public static final String CHECK = "drift4j.check";

  private static final Logger LOG = LoggerFactory.getLogger(DriftMetrics.class);

  private final DriftMonitor monitor;
  private final DriftDetector detector;
  private final Tags tags;
  private final Map<MeterRegistry, Object> listeners = new ConcurrentHashMap<>();
  private final AtomicBoolean failureLogged = new AtomicBoolean();

  private DriftMetrics(DriftMonitor monitor, DriftDetector detector, String name, String fingerprint, String baselineId) {
    this.monitor = monitor;
    this.detector = detector;
    this.tags = Tags.of("name", requireName(name), "model", shortFingerprint(fingerprint), "baseline", baselineId);
  }

  /**
   * Metrics of a monitor.
   *
   * @param monitor the monitor
   * @param name the {@code name} tag: what this service calls the monitor, e.g. the model's name
   * @return the binder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static DriftMetrics of(DriftMonitor monitor, String name) {
    Objects.requireNonNull(monitor, "monitor");
    return new DriftMetrics(monitor, null, name, monitor.autoencoderFingerprint(), monitor.baseline().id());
  }

  /**
   * Metrics of a detector.
   *
   * @param detector the detector
   * @param name the {@code name} tag
   * @return the binder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static DriftMetrics of(DriftDetector detector, String name) {
    Objects.requireNonNull(detector, "detector");
    return new DriftMetrics(null, detector, name, detector.baseline().autoencoderFingerprint(),
        detector.baseline().id());
  }

  /** {@return the tags every meter of this binder carries} */
  public Tags tags() {
    return tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    listeners.computeIfAbsent(registry, r -> monitor != null ? bindMonitor(r) : bindDetector(r));
  }

  private MonitorListener bindMonitor(MeterRegistry registry) {
    Timer observe = Timer.builder(MONITOR + ".observe").tags(tags)
        .description("Duration of DriftMonitor.observe calls: scoring and the monitor's update").register(registry);
    Counter images = counter(registry, MONITOR + ".images", "Images the monitor has observed");
    Counter outliers = counter(registry, MONITOR + ".outliers", "Images beyond the baseline's outlier quantile");
    Counter alarms = counter(registry, MONITOR + ".alarms", "Drift alarms raised by the monitor");
    DistributionSummary error = DistributionSummary.builder(MONITOR + ".error").tags(tags)
        .description("Reconstruction error of each observed image (" + monitor.baseline().errorMeasure() + ")")
        .register(registry);
    gauge(registry, MONITOR + ".statistic", "The monitor's statistic", m -> m.status().statistic());
    gauge(registry, MONITOR + ".threshold", "The level at which the statistic alarms", m -> m.status().threshold());
    gauge(registry, MONITOR + ".level", "The statistic over its threshold; 1 raises an alarm", m -> m.status().level());
    gauge(registry, MONITOR + ".images.since.restart", "Images since the last alarm, reset or start",
        m -> m.status().imagesSinceRestart());
    gauge(registry, MONITOR + ".latched", "1 while a latched alarm stands", m -> m.status().latched() ? 1 : 0);
    MonitorListener listener = new MonitorListener() {
      @Override
      public void onObservation(MonitorObservation o) {
        record(() -> {
          observe.record(o.duration());
          images.increment(o.size());
          outliers.increment(o.outlierCount());
          for (double e : o.errors()) {
            error.record(e);
          }
        });
      }

      @Override
      public void onAlarm(DriftAlarm alarm) {
        record(alarms::increment);
      }
    };
    monitor.addListener(listener);
    return listener;
  }

  private DriftListener bindDetector(MeterRegistry registry) {
    Timer check = Timer.builder(CHECK).tags(tags).description("Duration of DriftDetector.check calls").register(registry);
    Counter images = counter(registry, CHECK + ".images", "Images checked");
    Counter outliers = counter(registry, CHECK + ".outliers", "Images beyond the baseline's outlier quantile");
    Counter drifts = counter(registry, CHECK + ".drifts", "Batches judged to have drifted");
    DistributionSummary error = DistributionSummary.builder(CHECK + ".error").tags(tags)
        .description("Reconstruction error of each checked image (" + detector.baseline().errorMeasure() + ")")
        .register(registry);
    AtomicLong lastPValue = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    Gauge.builder(CHECK + ".p.value", lastPValue, v -> Double.longBitsToDouble(v.get())).tags(tags)
        .description("The last check's p-value (NaN before the first, or for a policy without one)")
        .register(registry);
    DriftListener listener = new DriftListener() {
      @Override
      public void onReport(DriftReport r) {
        record(() -> {
          check.record(r.duration());
          images.increment(r.batchSize());
          outliers.increment(r.outlierCount());
          if (r.drift()) {
            drifts.increment();
          }
          for (double e : r.errors()) {
            error.record(e);
          }
          lastPValue.set(Double.doubleToLongBits(r.decision().pValue()));
        });
      }
    };
    detector.addListener(listener);
    return listener;
  }

  private Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).tags(tags).description(description).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description,
      java.util.function.ToDoubleFunction<DriftMonitor> value) {
    Gauge.builder(name, monitor, value).tags(tags).description(description).strongReference(true).register(registry);
  }

  /** Runs a meter update; a registry that throws is logged once and never reaches the request. */
  private void record(Runnable update) {
    try {
      update.run();
    } catch (RuntimeException e) {
      if (failureLogged.compareAndSet(false, true)) {
        LOG.warn("Drift4j: a meter registry failed; metrics may be incomplete, requests go on", e);
      }
    }
  }

  /** Removes the listeners this binder added; the meters stay registered. Idempotent. */
  @Override
  public void close() {
    List<Object> added = List.copyOf(listeners.values());
    listeners.clear();
    for (Object l : added) {
      if (l instanceof MonitorListener m) {
        monitor.removeListener(m);
      } else {
        detector.removeListener((DriftListener) l);
      }
    }
  }

  private static String requireName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank: it tags every meter");
    }
    return name;
  }

  private static String shortFingerprint(String fingerprint) {
    String hex = fingerprint.substring(fingerprint.indexOf(':') + 1);
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  @Override
  public String toString() {
    return "DriftMetrics[" + tags + "]";
  }
}
