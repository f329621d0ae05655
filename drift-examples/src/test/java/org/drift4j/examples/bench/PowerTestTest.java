package org.drift4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.testkit.PcaAutoencoder;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;

class PowerTestTest {

  @Test
  void cleanBatchesStayNearAlphaAndStrongNoiseIsCaught() {
    ImageShape shape = ImageShape.grey(12, 12);
    PcaAutoencoder pca = PcaAutoencoder.fit(SyntheticImages.blobs(shape, 400, 1), 8, 1);
    ImageBatch clean = SyntheticImages.blobs(shape, 1200, 2);
    List<PowerTest.Shift> shifts = List.of(new PowerTest.Shift("noise 0.5", Shifts.noise(clean, 0.5, 3), 1),
        new PowerTest.Shift("10% noise 0.5", Shifts.noise(clean, 0.5, 3), 0.1));
    PowerTest.Result r = PowerTest.run(pca, ReconstructionError.MEAN_SQUARED_ERROR, clean, shifts, new int[] {10, 50},
        0.05, 300, 4);
    assertThat(r.rates()).containsOnlyKeys("rankTest", "ksTest", "relativeIncrease(0.1)");
    assertThat(r.rates().get("rankTest")).containsOnlyKeys("clean", "noise 0.5", "10% noise 0.5");
    for (PowerTest.Rate clean10 : r.rates().get("rankTest").get("clean")) {
      assertThat(clean10.low()).isLessThanOrEqualTo(0.05 + 0.05);
      assertThat(clean10.low()).isLessThanOrEqualTo(clean10.rate());
      assertThat(clean10.high()).isGreaterThanOrEqualTo(clean10.rate());
    }
    assertThat(r.rates().get("rankTest").get("noise 0.5").get(0).rate()).isGreaterThan(0.95);
    assertThat(r.rates().get("rankTest").get("10% noise 0.5").get(1).rate())
        .isGreaterThanOrEqualTo(r.rates().get("ksTest").get("10% noise 0.5").get(1).rate());
  }

  @Test
  void wilsonIntervalsBracketTheRate() {
    PowerTest.Rate r = PowerTest.wilson(5, 100);
    assertThat(r.rate()).isEqualTo(0.05);
    assertThat(r.low()).isBetween(0.02, 0.03);
    assertThat(r.high()).isBetween(0.10, 0.12);
    assertThat(PowerTest.wilson(0, 50).low()).isZero();
  }
}
