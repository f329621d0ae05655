package org.drift4j.examples.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        .containsExactly("DriftMonitor", "rankTest m=10", "CvM W=20");
    assertThat(r.clean()).allSatisfy(row -> assertThat(row.runs()).isEqualTo(10));
    assertThat(r.delays()).extracting(DetectionDelays.Row::scenario).contains(Scenario.CONTROL, "noise 0.5",
        "10% noise 0.5", "thick 2×2", "thick 3×3", "occlusion 4×4", "dim 0.7", "10% foreign images");
    assertThat(r.delays()).hasSize(3 * 14);
    DetectionDelays.Row noisy = r.delays().stream()
        .filter(d -> d.detector().equals("DriftMonitor") && d.scenario().equals("noise 0.5")).findFirst().orElseThrow();
    assertThat(noisy.median()).isLessThan(10);
    String table = MonitorPowerTable.of(r);
    assertThat(table).contains("| 100 | **DriftMonitor** | 10 |").contains("| noise 0.5 |")
        .contains("Detection delay at ERT 100, requests of 1 image:").contains("meets the delay target on");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("DriftMonitor calibrated");
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
