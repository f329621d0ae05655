package org.drift4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.MonitorObservation;
import org.junit.jupiter.api.Test;

/**
 * A restarted alarm stands for the hold, each new alarm starting it again; a latched one until
 * reset; reset ends either at once.
 */
class Drift4jAlarmsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));

  private DriftMonitor monitor(DriftMonitorConfig.AfterAlarm afterAlarm) throws IOException {
    URL file = getClass().getResource("/drift4j-models/baseline.json");
    Baseline baseline = BaselineStore.read(file);
    return DriftMonitor.builder(baseline).clock(clock).config(DriftMonitorConfig.custom().expectedRunTime(1000)
        .afterAlarm(afterAlarm).build()).build();
  }

  /** Observes errors far above the baseline's until the monitor alarms. */
  private static void drift(DriftMonitor monitor) {
    double[] large = new double[8];
    Arrays.fill(large, monitor.baseline().quantile(0.99) * 3);
    for (int i = 0; i < 100; i++) {
      MonitorObservation o = monitor.observeErrors(large);
      if (o.alarm()) {
        return;
      }
    }
    throw new AssertionError("no alarm after 800 errors three times the 99th percentile");
  }

  @Test
  void aRestartedAlarmStandsForTheHoldAndEachNewAlarmStartsItAgain() throws IOException {
    DriftMonitor monitor = monitor(DriftMonitorConfig.AfterAlarm.RESTART);
    Drift4jAlarms alarms = new Drift4jAlarms(monitor, Duration.ofMinutes(10), clock);
    assertThat(alarms.standing()).isEmpty();
    drift(monitor);
    long first = alarms.standing().orElseThrow().number();
    assertThat(monitor.status().latched()).isFalse();
    clock.advance(Duration.ofMinutes(9));
    assertThat(alarms.standing()).isPresent();
    drift(monitor);
    assertThat(alarms.standing().orElseThrow().number()).isGreaterThan(first);
    clock.advance(Duration.ofMinutes(9));
    assertThat(alarms.standing()).as("the second alarm started the hold again").isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(alarms.standing()).isEmpty();
  }

  @Test
  void aLatchedAlarmStandsUntilResetAndResetEndsEither() throws IOException {
    DriftMonitor latching = monitor(DriftMonitorConfig.AfterAlarm.LATCH);
    Drift4jAlarms latched = new Drift4jAlarms(latching, Duration.ZERO, clock);
    drift(latching);
    clock.advance(Duration.ofDays(1));
    assertThat(latched.standing()).isPresent();
    latched.reset();
    assertThat(latched.standing()).isEmpty();
    assertThat(latching.status().latched()).isFalse();

    DriftMonitor restarting = monitor(DriftMonitorConfig.AfterAlarm.RESTART);
    Drift4jAlarms held = new Drift4jAlarms(restarting, Duration.ofHours(1), clock);
    drift(restarting);
    assertThat(held.standing()).isPresent();
    held.reset();
    assertThat(held.standing()).isEmpty();
    assertThat(restarting.status().imagesSinceRestart()).isZero();
  }

  @Test
  void withoutAMonitorNothingStandsAndResetDoesNothing() {
    Drift4jAlarms alarms = new Drift4jAlarms(null, Duration.ofHours(1), clock);
    alarms.reset();
    assertThat(alarms.monitor()).isEmpty();
    assertThat(alarms.standing()).isEmpty();
    assertThat(alarms).hasToString("Drift4jAlarms[hold=PT1H, standing=none]");
  }

  @Test
  void aNegativeHoldIsRefused() {
    assertThatThrownBy(() -> new Drift4jAlarms(null, Duration.ofSeconds(-1), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("hold must not be negative, but was PT-1S");
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
