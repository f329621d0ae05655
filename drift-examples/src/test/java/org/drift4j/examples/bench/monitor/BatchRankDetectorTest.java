package org.drift4j.examples.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchRankDetectorTest {

  @Test
  void aBatchIsJudgedWhenItIsFullAndTheAlarmPointsAtItsFirstImage() {
    BatchRankDetector batches = new BatchRankDetector(OnlineCvmTest.uniform(1_000, 1), 10, 1_000);
    assertThat(batches.name()).isEqualTo("rankTest m=10");
    double[] stream = new SplittableRandom(2).doubles(40, 0.2, 0.8).toArray();
    Arrays.fill(stream, 23, 33, 5.0); // ten images beyond the baseline's largest error, in batches 2 and 3
    List<StreamDetector.Alarm> alarms = batches.observe(stream);
    assertThat(alarms).extracting(StreamDetector.Alarm::position).containsExactly(29, 39);
    assertThat(alarms).extracting(StreamDetector.Alarm::changePoint).containsExactly(20L, 30L);
    batches.reset();
    assertThat(batches.observe(Arrays.copyOf(stream, 5))).isEmpty();
  }

  @Test
  void aBatchAsLongAsTheRunTimeIsRefused() {
    assertThatThrownBy(() -> new BatchRankDetector(OnlineCvmTest.uniform(100, 1), 100, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the batch size must be between 1 and the expected run time 100 (exclusive), but was 100");
  }
}
