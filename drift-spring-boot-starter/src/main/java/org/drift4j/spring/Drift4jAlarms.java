package org.drift4j.spring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.drift4j.DriftAlarm;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.MonitorStatus;
import org.jspecify.annotations.Nullable;

/**
 * Whether a {@link DriftMonitor}'s alarm stands, as the drift4j health indicator and endpoint
 * report it: a latched alarm ({@code drift4j.monitor.after-alarm=latch}) stands until reset; a
 * restarted one (the default) for {@code drift4j.health.alarm-hold} after it was raised (each new
 * alarm starts the hold again), so that an alarm is not gone from health the moment the monitor
 * starts afresh. {@link #reset()} ends either at once.
 *
 * <pre>{@code
 * @Autowired Drift4jAlarms alarms;
 * ...
 * alarms.reset();   // the drift was handled (model retrained, camera fixed): health UP again
 * }</pre>
 *
 * <p>Call {@link #reset()} rather than {@link DriftMonitor#reset()}: the monitor's own reset lowers
 * a latched alarm, but the hold of a restarted one runs its course.
 *
 * <p>Thread-safe.
 */
public final class Drift4jAlarms {

  private final @Nullable DriftMonitor monitor;
  private final Duration hold;
  private final Clock clock;
  /** Alarms up to this number were reset. */
  private final AtomicLong acknowledged = new AtomicLong();

  /**
   * The alarm state of {@code monitor}.
   *
   * @param monitor the monitor, or null when Drift4j could not load its model or baseline
   * @param hold how long a restarted alarm stands
   * @param clock the clock that tells when the hold ends; the monitor's alarms carry its own
   */
  public Drift4jAlarms(@Nullable DriftMonitor monitor, Duration hold, Clock clock) {
    this.monitor = monitor;
    this.hold = Objects.requireNonNull(hold, "hold");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (hold.isNegative()) {
      throw new IllegalArgumentException("hold must not be negative, but was " + hold);
    }
  }

  /** {@return the monitor, if Drift4j has one} */
  public Optional<DriftMonitor> monitor() {
    return Optional.ofNullable(monitor);
  }

  /** {@return the alarm that stands now, if any} */
  public Optional<DriftAlarm> standing() {
    if (monitor == null) {
      return Optional.empty();
    }
    return standing(monitor.status());
  }

  /**
   * The alarm that stands given a status of this monitor.
   *
   * @param status the monitor's status
   * @return the standing alarm, if any
   */
  Optional<DriftAlarm> standing(MonitorStatus status) {
    Optional<DriftAlarm> last = status.lastAlarm().filter(a -> a.number() > acknowledged.get());
    if (last.isEmpty()) {
      return last;
    }
    if (status.latched()) {
      return last;
    }
    if (monitor == null || monitor.config().afterAlarm() == DriftMonitorConfig.AfterAlarm.LATCH) {
      return Optional.empty();
    }
    return clock.instant().isBefore(standsUntil(last.get())) ? last : Optional.empty();
  }

  /**
   * When a restarted alarm stops standing, unless reset sooner.
   *
   * @param alarm the alarm
   * @return its time plus the hold
   */
  Instant standsUntil(DriftAlarm alarm) {
    return alarm.time().plus(hold);
  }

  /** {@return how long a restarted alarm stands} */
  public Duration hold() {
    return hold;
  }

  /**
   * Resets the monitor ({@link DriftMonitor#reset()}: a fresh statistic, a latched alarm lowered)
   * and ends the standing of every alarm raised so far. Does nothing without a monitor.
   */
  public void reset() {
    if (monitor == null) {
      return;
    }
    long raised = monitor.status().alarms();
    monitor.reset();
    acknowledged.accumulateAndGet(raised, Math::max);
  }

  @Override
  public String toString() {
    return "Drift4jAlarms[hold=" + hold + ", standing=" + standing().map(a -> "#" + a.number()).orElse("none") + "]";
  }
}
