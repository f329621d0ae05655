package org.drift4j;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DriftMonitor}'s state: the statistic, the image and alarm counts, and the errors of the
 * most recent images. Not thread-safe: the monitor calls it under its lock, and every call is
 * short (no scoring, no I/O).
 */
final class MonitorStream {

  /** What one call added: where its images start, the alarms they raised, the status after them. */
  record Added(long firstImage, List<DriftAlarm> alarms, MonitorStatus status) {}

  private final ShiryaevRoberts statistic;
  private final DriftMonitorConfig config;
  private final Baseline baseline;
  private final double outlierThreshold;
  /** The errors of the last images, a ring of {@link DriftMonitorConfig#windowImages()}. */
  private final double[] window;
  private long windowed;
  private long images;
  /** Stream index of the first image since the statistic last started. */
  private long restartIndex;
  private long alarms;
  private boolean latched;
  private DriftAlarm lastAlarm;

  MonitorStream(ShiryaevRoberts statistic, DriftMonitorConfig config, Baseline baseline, double outlierThreshold) {
    this.statistic = statistic;
    this.config = config;
    this.baseline = baseline;
    this.outlierThreshold = outlierThreshold;
    this.window = new double[config.windowImages()];
  }

  /**
   * Adds images: for image i, {@code below[i]} baseline errors lie strictly below its error and
   * {@code ties[i]} equal it.
   */
  Added add(double[] errors, int[] below, int[] ties, Clock clock) {
    long first = images;
    List<DriftAlarm> raised = new ArrayList<>(0);
    for (int i = 0; i < errors.length; i++) {
      long index = first + i;
      window[(int) (windowed++ % window.length)] = errors[i];
      if (latched) {
        continue;
      }
      if (statistic.update(rank(below[i], ties[i], index))) {
        raised.add(alarm(index, clock));
        if (config.afterAlarm() == DriftMonitorConfig.AfterAlarm.RESTART) {
          statistic.reset();
          restartIndex = index + 1;
        } else {
          latched = true;
        }
      }
    }
    images += errors.length;
    return new Added(first, raised, status());
  }

  /**
   * The rank of an error, its ties broken by a uniform draw that depends only on the image's place
   * in the stream, so that the same stream always gives the same ranks.
   */
  private static int rank(int below, int ties, long index) {
    if (ties == 0) {
      return below;
    }
    long z = index * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    double u = (z >>> 11) * 0x1.0p-53;
    return below + (int) (u * (ties + 1));
  }

  private DriftAlarm alarm(long index, Clock clock) {
    long changePoint = restartIndex + statistic.changePoint() - 1;
    long since = index - changePoint + 1;
    int summarised = (int) Math.min(Math.min(since, window.length), windowed);
    double sum = 0;
    int outliers = 0;
    for (int k = 0; k < summarised; k++) {
      double e = window[(int) ((windowed - 1 - k) % window.length)];
      sum += e;
      outliers += e > outlierThreshold ? 1 : 0;
    }
    DriftAlarm.Window summary = new DriftAlarm.Window(since, summarised, sum / summarised, baseline.mean(),
        outliers / (double) summarised, 1 - config.outlierQuantile());
    lastAlarm = new DriftAlarm(++alarms, clock.instant(), index, statistic.statistic(), statistic.threshold(),
        statistic.alternative(statistic.leadingComponent()).describe(), changePoint, summary, baseline.id(),
        baseline.autoencoderFingerprint());
    return lastAlarm;
  }

  MonitorStatus status() {
    long sinceRestart = images - restartIndex;
    long changePoint = statistic.images() == 0 ? -1 : restartIndex + statistic.changePoint() - 1;
    String leading = statistic.images() == 0 ? "nothing yet"
        : statistic.alternative(statistic.leadingComponent()).describe();
    return new MonitorStatus(images, sinceRestart, alarms, latched, statistic.statistic(), statistic.threshold(),
        leading, changePoint, lastAlarm);
  }

  void restart() {
    statistic.reset();
    restartIndex = images;
    latched = false;
  }

  MonitorSnapshot snapshot(Instant now) {
    int kept = (int) Math.min(windowed, window.length);
    double[] recent = new double[kept];
    for (int k = 0; k < kept; k++) {
      recent[k] = window[(int) ((windowed - kept + k) % window.length)];
    }
    return new MonitorSnapshot(baseline.id(), baseline.autoencoderFingerprint(), config.expectedRunTime(),
        config.confidence(), statistic.id(), statistic.threshold(), images, restartIndex,
        alarms, latched, statistic.state(), recent, now);
  }

  void restore(MonitorSnapshot s) {
    s.requireFits(baseline, config, statistic.id(), statistic.threshold());
    statistic.restore(s.state());
    images = s.images();
    restartIndex = s.restartIndex();
    alarms = s.alarms();
    latched = s.latched();
    lastAlarm = null;
    double[] recent = s.recentErrors();
    windowed = 0;
    int from = Math.max(0, recent.length - window.length);
    for (int k = from; k < recent.length; k++) {
      window[(int) (windowed++ % window.length)] = recent[k];
    }
  }
}
