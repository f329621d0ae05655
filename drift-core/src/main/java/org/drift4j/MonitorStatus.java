package org.drift4j;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link DriftMonitor} stands after some images: its statistic against its threshold,
 * how many images it has seen, and its alarms.
 *
 * <p>Immutable and thread-safe.
 */
public final class MonitorStatus {

  private final long images;
  private final long imagesSinceRestart;
  private final long alarms;
  private final boolean latched;
  private final double statistic;
  private final double threshold;
  private final String leading;
  private final long changePoint;
  private final DriftAlarm lastAlarm;

  MonitorStatus(long images, long imagesSinceRestart, long alarms, boolean latched, double statistic, double threshold,
      String leading, long changePoint, DriftAlarm lastAlarm) {
    this.images = images;
    this.imagesSinceRestart = imagesSinceRestart;
    this.alarms = alarms;
    this.latched = latched;
    this.statistic = statistic;
    this.threshold = threshold;
    this.leading = Objects.requireNonNull(leading);
    this.changePoint = changePoint;
    this.lastAlarm = lastAlarm;
  }

  /** {@return the images the monitor has seen since it was built (or since the snapshot it restored)} */
  public long images() {
    return images;
  }

  /** {@return the images since the statistic last started: since the last alarm, reset or the start} */
  public long imagesSinceRestart() {
    return imagesSinceRestart;
  }

  /** {@return the alarms raised so far} */
  public long alarms() {
    return alarms;
  }

  /**
   * {@return whether an alarm stands: with {@link DriftMonitorConfig.AfterAlarm#LATCH}, from the
   * alarm until {@link DriftMonitor#reset()}; never with {@code RESTART}}
   */
  public boolean latched() {
    return latched;
  }

  /** {@return the statistic, compared with the threshold (it restarts at 0)} */
  public double statistic() {
    return statistic;
  }

  /** {@return the level at which the statistic raises an alarm} */
  public double threshold() {
    return threshold;
  }

  /** {@return the statistic as a share of the threshold: 1 raises an alarm} */
  public double level() {
    return statistic / threshold;
  }

  /** {@return in words, the alternative the stream looks most like now} */
  public String leading() {
    return leading;
  }

  /**
   * {@return the stream index where the leading alternative's evidence begins, or -1 before any
   * image since the restart: where the drift began, if the monitor is right that it did}
   */
  public long changePoint() {
    return changePoint;
  }

  /** {@return the last alarm, if any} */
  public Optional<DriftAlarm> lastAlarm() {
    return Optional.ofNullable(lastAlarm);
  }

  @Override
  public String toString() {
    return "MonitorStatus[images=" + images + ", level=" + Decimals.significant(level(), 3) + ", alarms=" + alarms
        + (latched ? ", latched" : "") + "]";
  }
}
