package org.drift4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TimingTest {

  @Test
  void segmentMediansSplitTheSeriesInOrder() {
    double[] v = {1, 2, 3, 10, 20, 30, 7, 8, 9, 100};
    assertThat(Timing.segmentMedians(v, 3)).containsExactly(2, 20, 8);
    assertThat(Timing.segmentMedians(new double[] {4}, 2)).containsExactly(4, 4);
  }

  @Test
  void percentilesAreNearestRank() {
    double[] v = {5, 1, 4, 2, 3};
    assertThat(Timing.percentile(v, 0.5)).isEqualTo(3);
    assertThat(Timing.percentile(v, 0.99)).isEqualTo(5);
  }

  @Test
  void pairedBlocksAlternateTheTwoTasksAndGiveOneRatioPerPair() {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    double[][] paired = new Timing(0.05).paired(first::incrementAndGet, second::incrementAndGet);
    assertThat(paired).hasNumberOfRows(3);
    assertThat(paired[2].length).as("at least ten pairs").isGreaterThanOrEqualTo(10);
    assertThat(paired[0]).hasSizeGreaterThanOrEqualTo(3 * paired[2].length);
    assertThat(first.get()).isPositive();
    assertThat(second.get()).isPositive();
  }
}
