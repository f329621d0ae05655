package org.drift4j.examples.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.testkit.PcaAutoencoder;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MonitorPowerTest {

  static final ImageShape SHAPE = ImageShape.grey(12, 12);
  static PcaAutoencoder pca;
  static ImageBatch clean;

  @BeforeAll
  static void fitAModel() {
    pca = PcaAutoencoder.fit(SyntheticImages.blobs(SHAPE, 400, 1), 8, 1);
    clean = SyntheticImages.blobs(SHAPE, 900, 2);
  }

  private static MonitorPower.Settings settings(long... erts) {
    return new MonitorPower.Settings(erts, 300, 10, 10, new int[] {10}, new int[] {20}, 50, 4);
  }

  @Test
  void everyDetectorIsMeasuredOnCleanStreamsAndOnEveryScenario() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ImageBatch foreign = SyntheticImages.noise(SHAPE, 100, 5);
    MonitorPowerResult r = MonitorPower.run(pca, ReconstructionError.MEAN_SQUARED_ERROR, clean, foreign, settings(100),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertThat(r.baselineSize()).isEqualTo(300);
    assertThat(r.poolSize()).isEqualTo(600);
    assertThat(r.calibrations()).singleElement().satisfies(c -> {
      assertThat(c.refusal()).isNull();
      assertThat(c.thresholdPerRunTime()).isPositive();
    });
    assertThat(r.clean()).extracting(CleanRunLengths.Row::detector)
        .containsExactly("DriftMonitor", "DriftMonitor c=0.5", "rankTest m=10", "CvM W=20");
    assertThat(r.clean()).allSatisfy(row -> assertThat(row.runs()).isEqualTo(10));
    assertThat(r.delays()).extracting(DetectionDelays.Row::scenario).contains(Scenario.CONTROL, "noise 0.5",
        "10% noise 0.5", "thick 2×2", "thick 3×3", "occlusion 4×4", "dim 0.7", "10% foreign images");
    assertThat(r.delays()).hasSize(4 * 14);
    assertThat(r.profiles()).hasSize(14);
    MonitorPowerResult.RankProfile control = r.profiles().get(0);
    MonitorPowerResult.RankProfile noise = r.profiles().stream().filter(p -> p.scenario().equals("noise 0.5"))
        .findFirst().orElseThrow();
    assertThat(control.scenario()).isEqualTo(Scenario.CONTROL);
    assertThat(control.auc()).isBetween(0.4, 0.6);
    assertThat(noise.auc()).isGreaterThan(0.9);
    assertThat(noise.klPerImage()).isGreaterThan(10 * control.klPerImage());
    assertThat(Arrays.stream(noise.deciles()).sum()).isCloseTo(1.0, within(1e-9));
    DetectionDelays.Row noisy = r.delays().stream()
        .filter(d -> d.detector().equals("DriftMonitor") && d.scenario().equals("noise 0.5")).findFirst().orElseThrow();
    assertThat(noisy.median()).isLessThan(10);
    String table = MonitorPowerTable.of(r);
    assertThat(table).contains("| 100 | **DriftMonitor** | 10 |").contains("| noise 0.5 |")
        .contains("Detection delay at ERT 100, requests of 1 image:").contains("meets the delay target on");
    assertThat(table).as("the c=0.5 monitor is never the better comparator")
        .doesNotContainPattern("\\| [0-9,]+ DriftMonitor c=0\\.5 \\|");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("DriftMonitor calibrated")
        .contains("DriftMonitor at confidence 0.5").contains("AUC");
  }

  @Test
  void aScenarioProfileIsItsRankLawAgainstTheBaseline() {
    double[] baseline = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    MonitorPowerResult.RankProfile above = MonitorPower.profile(baseline, new Scenario("up", new double[] {20, 30}, 1));
    assertThat(above.auc()).isEqualTo(1.0);
    assertThat(above.deciles()[9]).isEqualTo(1.0);
    assertThat(above.klPerImage()).as("all mass in one of 20 bins").isCloseTo(Math.log(20), within(1e-12));
    MonitorPowerResult.RankProfile tenth = MonitorPower.profile(baseline, new Scenario("10%", new double[] {20}, 0.1));
    double p = 0.1 + 0.9 / 20;
    double q = 0.9 / 20;
    assertThat(tenth.klPerImage()).isCloseTo(p * Math.log(20 * p) + 19 * q * Math.log(20 * q), within(1e-12));
    MonitorPowerResult.RankProfile ties = MonitorPower.profile(baseline, new Scenario("ties", new double[] {5}, 1));
    assertThat(ties.auc()).as("4 below, 1 tie of 9").isCloseTo(4.5 / 9, within(1e-12));
  }

  @Test
  void aRunTimeTheBaselineCannotSupportIsReportedAsRefusedAndTheComparatorsStillRun() throws Exception {
    MonitorPower.Settings tiny = new MonitorPower.Settings(new long[] {5_000}, 30, 2, 2, new int[] {10}, new int[] {},
        50, 4);
    MonitorPowerResult r = MonitorPower.run(pca, ReconstructionError.MEAN_SQUARED_ERROR, clean.slice(0, 200), null,
        tiny, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(r.calibrations()).singleElement().satisfies(c -> {
      assertThat(c.threshold()).isNull();
      assertThat(c.refusal()).contains("cannot support expectedRunTime 5000");
    });
    assertThat(r.clean()).extracting(CleanRunLengths.Row::detector).containsExactly("rankTest m=10");
    assertThat(MonitorPowerTable.of(r)).contains("| 5,000 | DriftMonitor | | refused: a baseline of 30 errors");
  }

  @Test
  void tooFewImagesAndBadSettingsAreRefusedByName() {
    assertThatThrownBy(() -> MonitorPower.run(pca, ReconstructionError.MEAN_SQUARED_ERROR, clean.slice(0, 350), null,
        settings(100), System.err)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the clean images must number at least the baseline size 300 plus 100 for the streams, but were 350");
    assertThatThrownBy(() -> settings(1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected run times must be at least 2 images each, but were [1]");
    assertThatThrownBy(() -> new MonitorPower.Settings(new long[] {100}, 10, 10, 10, new int[] {10}, new int[] {20}, 50, 4))
        .hasMessage("baselineSize must be at least 20, but was 10");
    assertThatThrownBy(() -> new MonitorPower.Settings(new long[] {100}, 100, 10, 10, new int[] {10}, new int[] {1}, 50, 4))
        .hasMessage("windows must hold at least 2 images, but were [1]");
    assertThatThrownBy(() -> new MonitorPower.Settings(new long[] {100}, 100, 10, 10, new int[] {10}, new int[] {20}, 50, 4,
        new int[] {32, 0})).hasMessage("request sizes must be at least 1 image each, but were [32, 0]");
  }
}
