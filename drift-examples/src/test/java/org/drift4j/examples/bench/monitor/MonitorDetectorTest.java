package org.drift4j.examples.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MonitorDetectorTest {

  @Test
  void alarmsArePlacedWithinTheCallAndChangePointsCountFromTheLastReset() {
    MonitorDetector monitor = MonitorDetector.build(OnlineCvmTest.uniform(1_000, 1), 500);
    assertThat(monitor.threshold()).isPositive();
    assertThat(monitor.calibrationSeconds()).isPositive();
    assertThat(monitor.observe(new SplittableRandom(2).doubles(300).toArray())).hasSizeLessThan(3);
    monitor.reset();
    double[] stream = new SplittableRandom(3).doubles(200).toArray();
    Arrays.fill(stream, 100, 200, 3.0); // every image beyond the baseline from image 100 on
    List<StreamDetector.Alarm> alarms = monitor.observe(stream);
    assertThat(alarms).isNotEmpty();
    assertThat(alarms.get(0).position()).isBetween(100, 110);
    assertThat(alarms.get(0).changePoint()).isBetween(95L, (long) alarms.get(0).position());
  }

  @Test
  void aBaselineTooSmallForTheRunTimeIsRefusedWithTheLibrarysMessage() {
    assertThatThrownBy(() -> MonitorDetector.build(OnlineCvmTest.uniform(30, 1), 5_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot support expectedRunTime 5000");
  }
}
