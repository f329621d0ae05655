package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.drift4j.testkit.Fakes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftMonitorTest {

  private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");

  @TempDir
  Path dir;

  /** A baseline of n errors drawn uniformly from [0, 1): clean images draw from the same law. */
  private static Baseline baseline(int n, long seed) {
    return Baseline.of(new SplittableRandom(seed).doubles(n).toArray(), ReconstructionError.MEAN_SQUARED_ERROR,
        ImageShape.grey(1, 1), "blank", T0);
  }

  private static DriftMonitor monitor(Baseline baseline, long ert) {
    return DriftMonitor.builder(baseline).config(DriftMonitorConfig.custom().expectedRunTime(ert).build())
        .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
  }

  @Test
  void onCleanStreamsTheMeanRunLengthIsAtLeastTheExpectedRunTimeWithinItsBounds() {
    long ert = 500;
    int images = 400_000;
    for (long seed = 1; seed <= 3; seed++) {
      DriftMonitor monitor = monitor(baseline(1_000, seed), ert);
      SplittableRandom clean = new SplittableRandom(100 + seed);
      for (int done = 0; done < images; done += 1_000) {
        monitor.observeErrors(clean.doubles(1_000).toArray());
      }
      long alarms = monitor.status().alarms();
      // false alarms are rare events: with a true run length of at least the ERT their count is
      // about Poisson(images / ERT) at most; 4 standard deviations above it would be a broken promise
      double expected = images / (double) ert;
      assertThat((double) alarms).as("false alarms of baseline %d in %d clean images", seed, images)
          .isLessThan(expected + 4 * Math.sqrt(expected));
      assertThat(monitor.status().images()).isEqualTo(images);
    }
  }

  @Test
  void errorsShiftedUpOrDownAreDetectedWithinTensOfImages() {
    Baseline baseline = baseline(1_000, 7);
    for (boolean up : new boolean[] {true, false}) {
      DriftMonitor monitor = monitor(baseline, 2_000);
      SplittableRandom random = new SplittableRandom(11);
      monitor.observeErrors(random.doubles(200).toArray());
      // errors squeezed into the upper or the lower 70% of the baseline's range
      long delay = imagesUntilAlarm(monitor, () -> up ? 0.3 + 0.7 * random.nextDouble() : 0.7 * random.nextDouble(),
          2_000);
      assertThat(delay).as("up %s", up).isBetween(1L, 100L);
      DriftAlarm alarm = monitor.status().lastAlarm().orElseThrow();
      assertThat(alarm.cause()).containsAnyOf(up ? new String[] {"up", "above"} : new String[] {"down", "below"});
      assertThat(alarm.changePoint()).as("estimated start of the drift, true start 200").isBetween(150L, alarm.image());
    }
  }

  @Test
  void aTenPercentMinorityOfForeignImagesIsDetected() {
    DriftMonitor monitor = monitor(baseline(2_000, 3), 2_000);
    SplittableRandom random = new SplittableRandom(5);
    monitor.observeErrors(random.doubles(300).toArray());
    long delay = imagesUntilAlarm(monitor, () -> random.nextDouble() < 0.1 ? 2 + random.nextDouble() : random.nextDouble(),
        5_000);
    assertThat(delay).isBetween(1L, 400L);
    assertThat(monitor.status().lastAlarm().orElseThrow().window().outlierShare()).isGreaterThan(0.05);
  }

  @Test
  void aChangeOfSpreadThatKeepsTheMedianIsDetected() {
    DriftMonitor monitor = monitor(baseline(2_000, 9), 2_000);
    SplittableRandom random = new SplittableRandom(6);
    monitor.observeErrors(random.doubles(300).toArray());
    // errors gather around the middle: the median stays, the tails empty
    long delay = imagesUntilAlarm(monitor, () -> 0.5 + (random.nextDouble() - 0.5) * 0.4, 5_000);
    assertThat(delay).isBetween(1L, 400L);
  }

  private static long imagesUntilAlarm(DriftMonitor monitor, java.util.function.DoubleSupplier errors, int most) {
    for (int i = 1; i <= most; i++) {
      if (monitor.observeErrors(new double[] {errors.getAsDouble()}).alarm()) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void sixteenThreadsEnterEveryImageOnceAndTheAcceptedOrderReplaysToTheSameAlarms() throws Exception {
    Baseline baseline = baseline(500, 4);
    DriftMonitor monitor = monitor(baseline, 300);
    SplittableRandom random = new SplittableRandom(8);
    List<double[]> batches = new ArrayList<>();
    for (int i = 0; i < 800; i++) {
      double[] b = random.doubles(1 + i % 8).toArray();
      if (i % 50 > 40) {
        for (int k = 0; k < b.length; k++) {
          b[k] += 0.5;
        }
      }
      batches.add(b);
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<MonitorObservation> observed = new ArrayList<>();
    try {
      List<Future<MonitorObservation>> futures = new ArrayList<>();
      for (double[] b : batches) {
        futures.add(pool.submit(() -> monitor.observeErrors(b)));
      }
      for (Future<MonitorObservation> f : futures) {
        observed.add(f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    long total = batches.stream().mapToLong(b -> b.length).sum();
    assertThat(monitor.status().images()).isEqualTo(total);
    observed.sort(Comparator.comparingLong(MonitorObservation::firstImage));
    long next = 0;
    for (MonitorObservation o : observed) {
      assertThat(o.firstImage()).as("images enter once, without gaps").isEqualTo(next);
      next += o.size();
    }
    DriftMonitor replay = monitor(baseline, 300);
    List<Long> concurrentAlarms = new ArrayList<>();
    List<Long> replayedAlarms = new ArrayList<>();
    for (MonitorObservation o : observed) {
      o.alarms().forEach(a -> concurrentAlarms.add(a.image()));
      replay.observeErrors(o.errors()).alarms().forEach(a -> replayedAlarms.add(a.image()));
    }
    assertThat(concurrentAlarms).isNotEmpty().isEqualTo(replayedAlarms);
  }

  @Test
  void aRestoredSnapshotContinuesAsIfTheServiceHadNotStopped() throws IOException {
    Baseline baseline = baseline(800, 12);
    SplittableRandom random = new SplittableRandom(13);
    double[] first = random.doubles(700).toArray();
    double[] second = random.doubles(300).map(e -> Math.min(1, e + 0.25)).toArray();
    DriftMonitor whole = monitor(baseline, 1_000);
    whole.observeErrors(first);
    MonitorObservation uninterrupted = whole.observeErrors(second);

    DriftMonitor before = monitor(baseline, 1_000);
    before.observeErrors(first);
    Path file = dir.resolve("state/monitor.json");
    before.snapshot().write(file);
    DriftMonitor after = monitor(baseline, 1_000);
    after.restore(MonitorSnapshot.read(file));
    MonitorObservation continued = after.observeErrors(second);
    assertThat(continued.firstImage()).isEqualTo(700);
    assertThat(continued.alarms()).extracting(DriftAlarm::image)
        .isEqualTo(uninterrupted.alarms().stream().map(DriftAlarm::image).toList());
    assertThat(continued.status().statistic()).isEqualTo(uninterrupted.status().statistic());
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aSnapshotOfAnotherBaselineOrSettingIsRefusedByName() {
    MonitorSnapshot snapshot = monitor(baseline(400, 1), 500).snapshot();
    Baseline other = baseline(400, 2);
    assertThatThrownBy(() -> monitor(other, 500).restore(snapshot))
        .hasMessage("snapshot was taken with baseline " + snapshot.baselineId() + ", but this monitor's is " + other.id());
    assertThatThrownBy(() -> monitor(baseline(400, 1), 600).restore(snapshot))
        .hasMessage("snapshot was taken with expectedRunTime 500 at confidence 0.95, but this monitor's are 600 at 0.95");
  }

  @Test
  void aCorruptOrEditedSnapshotIsRefusedAndNeverLoadedHalf() throws IOException {
    DriftMonitor monitor = monitor(baseline(400, 1), 500);
    monitor.observeErrors(new double[] {0.1, 0.2});
    String json = monitor.snapshot().toJson();
    assertThatThrownBy(() -> MonitorSnapshot.fromJson(json.substring(0, json.length() / 2)))
        .isInstanceOf(MonitorSnapshotException.class).hasMessageStartingWith("not valid JSON");
    String edited = json.replace("\"images\" : 2", "\"images\" : 3");
    assertThat(edited).isNotEqualTo(json);
    assertThatThrownBy(() -> MonitorSnapshot.fromJson(edited))
        .hasMessage("content does not match its digest: the snapshot was edited or corrupted");
    Path file = dir.resolve("monitor.json");
    Files.writeString(file, "{\"format\":\"something-else\"}");
    assertThatThrownBy(() -> MonitorSnapshot.read(file))
        .hasMessage(file + ": format must be \"drift4j-monitor-snapshot\", but was \"something-else\"");
    assertThat(MonitorSnapshot.fromJson(json).images()).isEqualTo(2);
  }

  @Test
  void aLatchedAlarmStaysRaisedUntilResetWhileImagesAreStillCounted() {
    DriftMonitor monitor = DriftMonitor.builder(baseline(500, 3))
        .config(DriftMonitorConfig.custom().expectedRunTime(500).afterAlarm(DriftMonitorConfig.AfterAlarm.LATCH).build())
        .build();
    double[] high = new double[200];
    java.util.Arrays.fill(high, 0.999);
    MonitorObservation first = monitor.observeErrors(high);
    assertThat(first.alarms()).hasSize(1);
    assertThat(monitor.observeErrors(high).alarms()).isEmpty();
    assertThat(monitor.status().latched()).isTrue();
    assertThat(monitor.status().images()).isEqualTo(400);
    monitor.reset();
    assertThat(monitor.status().latched()).isFalse();
    assertThat(monitor.status().imagesSinceRestart()).isZero();
    assertThat(monitor.observeErrors(high).alarms()).hasSize(1);
    assertThat(monitor.status().alarms()).isEqualTo(2);
  }

  @Test
  void withRestartTheNextAlarmNeedsNewEvidence() {
    DriftMonitor monitor = monitor(baseline(500, 3), 500);
    double[] high = new double[200];
    java.util.Arrays.fill(high, 0.999);
    MonitorObservation o = monitor.observeErrors(high);
    assertThat(o.alarms()).hasSizeGreaterThan(1);
    for (int i = 1; i < o.alarms().size(); i++) {
      assertThat(o.alarms().get(i).changePoint()).isGreaterThan(o.alarms().get(i - 1).image());
    }
    assertThat(o.status().latched()).isFalse();
  }

  @Test
  void listenersHearObservationsAndAlarmsAndAThrowingOneBreaksNothing() {
    List<MonitorObservation> seen = new CopyOnWriteArrayList<>();
    List<DriftAlarm> alarms = new CopyOnWriteArrayList<>();
    DriftMonitor monitor = DriftMonitor.builder(baseline(500, 3))
        .config(DriftMonitorConfig.custom().expectedRunTime(500).build())
        .listener(new MonitorListener() {
          @Override
          public void onObservation(MonitorObservation observation) {
            throw new IllegalStateException("listener bug");
          }
        })
        .build();
    MonitorListener recording = new MonitorListener() {
      @Override
      public void onObservation(MonitorObservation observation) {
        seen.add(observation);
      }

      @Override
      public void onAlarm(DriftAlarm alarm) {
        alarms.add(alarm);
      }
    };
    monitor.addListener(recording);
    double[] high = new double[100];
    java.util.Arrays.fill(high, 0.999);
    MonitorObservation calm = monitor.observeErrors(new double[] {0.5});
    MonitorObservation alarmed = monitor.observeErrors(high);
    assertThat(seen).containsExactly(calm, alarmed);
    assertThat(alarms).isEqualTo(alarmed.alarms()).isNotEmpty();
    assertThat(monitor.removeListener(recording)).isTrue();
    monitor.observeErrors(new double[] {0.5});
    assertThat(seen).hasSize(2);
  }

  @Test
  void theObservationCarriesEachImagesErrorPValueAndOutlierFlag() {
    DriftMonitor monitor = DriftMonitor.builder(Fakes.blank(ImageShape.grey(1, 1)), baseline(1_000, 2))
        .config(DriftMonitorConfig.custom().expectedRunTime(500).outlierQuantile(0.9).build()).build();
    MonitorObservation o = monitor.observe(Fakes.withErrors(0.04, 0.81, 0.9999));
    assertThat(o.size()).isEqualTo(3);
    assertThat(o.firstImage()).isZero();
    assertThat(o.errors()).usingComparatorWithPrecision(1e-6).containsExactly(0.04, 0.81, 0.9999);
    assertThat(o.outliers()).containsExactly(false, false, true);
    assertThat(o.imagePValues()[2]).isLessThan(0.01);
    assertThat(o.toJson()).contains("\"firstImage\":0").contains("\"size\":3");
    assertThat(monitor.observe(Fakes.withErrors(0.5)).firstImage()).isEqualTo(3);
  }

  @Test
  void aMonitorOfErrorsRefusesImagesAndBadErrorsAreNamed() {
    DriftMonitor monitor = monitor(baseline(400, 1), 500);
    assertThatThrownBy(() -> monitor.observe(Fakes.withErrors(0.1))).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("this monitor was built for errors only");
    assertThatThrownBy(() -> monitor.observeErrors(new double[0]))
        .hasMessage("errors must hold at least 1 value, but was empty");
    assertThatThrownBy(() -> monitor.observeErrors(new double[] {0.1, Double.NaN}))
        .hasMessage("errors[1] must be finite and non-negative, but was NaN");
  }

  @Test
  void badSettingsAreRefusedWithTheParameterTheConstraintAndTheValue() {
    assertThatThrownBy(() -> DriftMonitorConfig.custom().expectedRunTime(0))
        .hasMessage("expectedRunTime must be at least 1 image, but was 0");
    assertThatThrownBy(() -> DriftMonitorConfig.custom().confidence(1.0))
        .hasMessage("confidence must be greater than 0 and lower than 1, but was 1.0");
    assertThatThrownBy(() -> DriftMonitorConfig.custom().windowImages(0))
        .hasMessage("windowImages must be between 1 and 1,000,000, but was 0");
    assertThatThrownBy(() -> DriftMonitorConfig.custom().retainedImages(-1))
        .hasMessage("retainedImages must be between 0 and 100000, but was -1");
    assertThatThrownBy(() -> DriftMonitorConfig.custom().retainedImages(100_001))
        .hasMessage("retainedImages must be between 0 and 100000, but was 100001");
    assertThatThrownBy(() -> DriftMonitor.builder(baseline(10, 1)).build())
        .hasMessage("a monitor needs a baseline of at least 20 errors, but it held 10");
  }

  @Test
  void aBaselineTooSmallForTheFullStatisticUsesItsStrongComponentsAndSaysSoInItsSnapshot() {
    // n = 50 supports ERT 50 with all 21 alternatives, ERT 100 only with the 14 strong ones
    DriftMonitor full = monitor(baseline(50, 1), 50);
    DriftMonitor strong = monitor(baseline(50, 1), 100);
    String fullId = MonitorCalibrationCache.statisticId(RankAlternative.DEFAULTS);
    String strongId = MonitorCalibrationCache.statisticId(RankAlternative.STRONG);
    assertThat(fullId).isNotEqualTo(strongId);
    assertThat(full.snapshot().toJson()).contains(fullId).doesNotContain(strongId);
    assertThat(strong.snapshot().toJson()).contains(strongId).doesNotContain(fullId);
    assertThatThrownBy(() -> monitor(baseline(50, 1), 100).restore(MonitorSnapshot.fromJson(full.snapshot().toJson())))
        .hasMessageContaining("snapshot was taken with expectedRunTime 50");
    assertThat(strong.status().threshold()).isEqualTo(MonitorThresholds.calibrate(50, RankAlternative.STRONG, 100,
        0.05, DriftMonitor.CALIBRATION_SEED, MonitorThresholds.DEFAULT_DRAWS, MonitorThresholds.DEFAULT_STREAMS,
        DriftMonitor.MAX_THRESHOLD_FACTOR * 100).threshold());
    assertThat(MonitorThresholds.calibrate(50, RankAlternative.DEFAULTS, 100, 0.05, DriftMonitor.CALIBRATION_SEED,
        MonitorThresholds.DEFAULT_DRAWS, MonitorThresholds.DEFAULT_STREAMS, DriftMonitor.MAX_THRESHOLD_FACTOR * 100)
        .threshold()).as("the full mixture is beyond reach there").isGreaterThan(DriftMonitor.MAX_THRESHOLD_FACTOR * 100);
  }

  @Test
  void aBaselineTooSmallForTheExpectedRunTimeIsRefusedWithTheNumbers() {
    assertThatThrownBy(() -> monitor(baseline(30, 1), 100_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a baseline of 30 errors cannot support expectedRunTime 100000 at confidence 0.95:")
        .hasMessageContaining("for 99% of simulated baselines no accepted threshold reaches the expected run time")
        .hasMessageContaining("use more validation images, a smaller expected run time or a lower confidence");
  }

  @Test
  void theCalibrationCacheKeepsThresholdsAndACorruptOneIsRecalibrated() throws IOException {
    Baseline baseline = baseline(600, 5);
    Path cache = MonitorCalibrationCache.beside(dir.resolve("baseline.json"));
    assertThat(cache.getFileName().toString()).isEqualTo("baseline.json.monitor-calibration.json");
    DriftMonitorConfig config = DriftMonitorConfig.custom().expectedRunTime(700).build();
    double threshold = DriftMonitor.builder(baseline).config(config).calibrationCache(cache).build().status().threshold();
    assertThat(Files.readString(cache)).contains("\"expectedRunTime\" : 700");
    String written = Files.readString(cache);
    assertThat(DriftMonitor.builder(baseline).config(config).calibrationCache(cache).build().status().threshold())
        .isEqualTo(threshold);
    assertThat(Files.readString(cache)).as("a hit writes nothing").isEqualTo(written);
    Files.writeString(cache, written.replaceFirst("\"threshold\" : [0-9.]+", "\"threshold\" : 1.0"));
    assertThat(DriftMonitor.builder(baseline).config(config).calibrationCache(cache).build().status().threshold())
        .as("an edited entry is not trusted").isEqualTo(threshold);
    assertThat(monitor(baseline, 700).status().threshold()).as("the same threshold without a cache").isEqualTo(threshold);
  }

  @Test
  void aBatchMadeAnotherWayThanTheBaselinesImagesIsRefused() {
    DriftMonitor monitor = DriftMonitor.builder(Fakes.blank(ImageShape.grey(1, 1)), baseline(400, 1))
        .config(DriftMonitorConfig.custom().expectedRunTime(500).build()).build();
    ImageBatch resized = ImagePreprocessing.resize(ImagePreprocessing.Interpolation.AREA)
        .image(ImageShape.grey(1, 1), new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_BYTE_GRAY));
    assertThatThrownBy(() -> monitor.observe(resized)).hasMessageStartingWith("batch preprocessing must be none");
  }

  private static final ImageShape BLOBS = DriftExplainerTest.SHAPE;

  private static DriftMonitor retaining(int images) {
    return DriftMonitor.builder(DriftExplainerTest.MEAN, DriftExplainerTest.MEAN_BASELINE)
        .config(DriftMonitorConfig.custom().expectedRunTime(2_000).retainedImages(images).build())
        .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
  }

  @Test
  void withRetainedImagesAnAlarmIsExplainedFromItsChangePoint() {
    DriftMonitor monitor = retaining(300);
    assertThat(monitor.config().retainedImages()).isEqualTo(300);
    ImageBatch clean = org.drift4j.testkit.SyntheticImages.blobs(BLOBS, 120, 40);
    for (int from = 0; from < clean.size(); from += 4) {
      monitor.observe(clean.slice(from, from + 4));
    }
    monitor.reset();
    ImageBatch occluded = DriftExplainerTest.occluded(org.drift4j.testkit.SyntheticImages.blobs(BLOBS, 400, 41));
    DriftAlarm alarm = null;
    for (int from = 0; alarm == null && from < occluded.size(); from += 4) {
      List<DriftAlarm> alarms = monitor.observe(occluded.slice(from, from + 4)).alarms();
      alarm = alarms.isEmpty() ? null : alarms.get(0);
    }
    assertThat(alarm).as("an alarm on occluded images").isNotNull();
    assertThat(alarm.changePoint()).isBetween(120L, alarm.image());
    DriftExplanation why = monitor.explain(alarm, 4);
    assertThat(why.size()).isEqualTo((int) (monitor.status().images() - alarm.changePoint()));
    assertThat(why.regions()).isNotEmpty();
    DriftExplanation.Region region = why.regions().get(0);
    assertThat(region.top()).isBetween(DriftExplainerTest.BOX_TOP - 1, DriftExplainerTest.BOX_TOP + 1);
    assertThat(region.left()).isBetween(DriftExplainerTest.BOX_LEFT - 1, DriftExplainerTest.BOX_LEFT + 1);
    assertThat(why.topImages()).allMatch(i -> i.index() >= 120 && i.index() < monitor.status().images(),
        "stream indices of occluded images");
    DriftExplanation window = monitor.explain(4);
    assertThat(window.size()).isEqualTo(Math.min(300, (int) monitor.status().images()));
  }

  @Test
  void withoutRetainedImagesExplainingIsRefusedSayingHowToRetainThem() {
    DriftMonitor monitor = retaining(0);
    monitor.observe(org.drift4j.testkit.SyntheticImages.blobs(BLOBS, 2, 1));
    assertThatThrownBy(() -> monitor.explain(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("this monitor retains no images to explain; build it with"
            + " DriftMonitorConfig.custom().retainedImages(n)");
  }

  @Test
  void retainingImagesNeedsAMonitorOfImagesAndABaselineWithPixelStatistics() {
    DriftMonitorConfig config = DriftMonitorConfig.custom().expectedRunTime(500).retainedImages(10).build();
    assertThatThrownBy(() -> DriftMonitor.builder(DriftExplainerTest.MEAN_BASELINE).config(config).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retainedImages 10 needs a monitor that scores images: build it with builder(autoencoder,"
            + " baseline), or retain no images");
    Baseline errorsOnly = Baseline.of(DriftExplainerTest.MEAN_BASELINE.sortedErrors(),
        ReconstructionError.MEAN_SQUARED_ERROR, BLOBS, DriftExplainerTest.MEAN.fingerprint(), T0);
    assertThatThrownBy(() -> DriftMonitor.builder(DriftExplainerTest.MEAN, errorsOnly).config(config).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no per-pixel error statistics")
        .hasMessageContaining("Baseline.compute");
  }

  @Test
  void aRestoreForgetsTheRetainedImagesWhoseStreamIndicesNoLongerFit() {
    DriftMonitor monitor = retaining(50);
    monitor.observe(org.drift4j.testkit.SyntheticImages.blobs(BLOBS, 20, 1));
    assertThat(monitor.explain(5).size()).isEqualTo(20);
    monitor.restore(retaining(50).snapshot());
    assertThatThrownBy(() -> monitor.explain(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the monitor retains no image");
  }
}
