package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.Fakes;
import org.drift4j.testkit.PcaAutoencoder;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {

  private static final ImageShape PIXEL = ImageShape.grey(1, 1);
  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

  /** Errors = squared pixels: a baseline of 400 errors spread over [0, 0.25]. */
  private static Baseline blankBaseline() {
    double[] errors = new double[400];
    for (int i = 0; i < errors.length; i++) {
      errors[i] = 0.25 * (i + 0.5) / errors.length;
    }
    return Baseline.compute(Fakes.blank(PIXEL), Fakes.withErrors(errors), ReconstructionError.MEAN_SQUARED_ERROR,
        Clock.fixed(T0, ZoneOffset.UTC));
  }

  private static DriftDetector.Builder blankDetector() {
    return DriftDetector.builder(Fakes.blank(PIXEL), blankBaseline());
  }

  private static DriftDetectorConfig policy(DriftPolicy policy) {
    return DriftDetectorConfig.custom().policy(policy).build();
  }

  @Test
  void aTypicalBatchDoesNotDriftAndAnAbnormalOneDoes() {
    DriftDetector detector = blankDetector().config(policy(DriftPolicy.rankTest(0.01))).build();
    DriftReport typical = detector.check(Fakes.withErrors(0.02, 0.06, 0.11, 0.14, 0.19, 0.23, 0.08, 0.17));
    assertThat(typical.drift()).isFalse();
    assertThat(typical.decision().pValue()).isGreaterThan(0.01);
    DriftReport abnormal = detector.check(Fakes.withErrors(0.6, 0.7, 0.8, 0.9, 0.65, 0.75, 0.85, 0.95));
    assertThat(abnormal.drift()).isTrue();
    assertThat(abnormal.decision().pValue()).isLessThanOrEqualTo(0.01);
    assertThat(abnormal.relativeIncrease()).isGreaterThan(4);
    assertThat(abnormal.outlierCount()).isEqualTo(8);
  }

  @Test
  void theReportCarriesErrorsFlagsAndProvenance() {
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    DriftDetector detector = blankDetector().clock(clock)
        .config(DriftDetectorConfig.custom().outlierQuantile(0.9).build()).build();
    DriftReport r = detector.check(Fakes.withErrors(0.01, 0.24, 0.5));
    assertThat(r.batchSize()).isEqualTo(3);
    assertThat(r.errors()).usingComparatorWithPrecision(1e-6).containsExactly(0.01, 0.24, 0.5);
    assertThat(r.outliers()).containsExactly(false, true, true);
    assertThat(r.outlierThreshold()).isCloseTo(0.225, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(r.imagePValues()[2]).isCloseTo(1 / 401.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.timestamp()).isEqualTo(T0);
    assertThat(r.baselineId()).isEqualTo(detector.baseline().id());
    assertThat(r.autoencoderFingerprint()).isEqualTo("blank");
    assertThat(r.errorMeasure()).isEqualTo(ReconstructionError.MEAN_SQUARED_ERROR);
    assertThat(r.policy()).isEqualTo("rankTest(alpha=0.01)");
    assertThat(r.duration()).isPositive();
    assertThat(r.batchMeanError()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void listenersHearEveryReportAndDriftsAndAThrowingOneBreaksNothing() {
    List<DriftReport> reports = new CopyOnWriteArrayList<>();
    List<DriftReport> drifts = new CopyOnWriteArrayList<>();
    DriftDetector detector = blankDetector()
        .listener(new DriftListener() {
          @Override
          public void onReport(DriftReport report) {
            throw new IllegalStateException("listener bug");
          }
        })
        .listener(new DriftListener() {
          @Override
          public void onReport(DriftReport report) {
            reports.add(report);
          }

          @Override
          public void onDrift(DriftReport report) {
            drifts.add(report);
          }
        })
        .build();
    DriftReport calm = detector.check(Fakes.withErrors(0.05, 0.1, 0.15, 0.2));
    DriftReport alarm = detector.check(Fakes.withErrors(0.9, 0.9, 0.9, 0.9, 0.9));
    assertThat(reports).containsExactly(calm, alarm);
    assertThat(drifts).containsExactly(alarm);
  }

  @Test
  void concurrentChecksFromEightThreadsEqualSequentialOnes() throws Exception {
    ImageShape shape = ImageShape.grey(8, 8);
    PcaAutoencoder pca = PcaAutoencoder.fit(SyntheticImages.blobs(shape, 300, 1), 6, 1);
    Baseline baseline = Baseline.compute(pca, SyntheticImages.blobs(shape, 500, 2), ReconstructionError.BINARY_CROSS_ENTROPY);
    DriftDetector detector = DriftDetector.builder(pca, baseline).build();
    List<ImageBatch> batches = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      ImageBatch clean = SyntheticImages.blobs(shape, 5 + i % 7, 100 + i);
      batches.add(i % 3 == 0 ? SyntheticImages.withGaussianNoise(clean, 0.3, i) : clean);
    }
    List<DriftReport> sequential = new ArrayList<>();
    for (ImageBatch b : batches) {
      sequential.add(detector.check(b));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<DriftReport>> futures = new ArrayList<>();
      for (ImageBatch b : batches) {
        futures.add(pool.submit(() -> detector.check(b)));
      }
      for (int i = 0; i < batches.size(); i++) {
        DriftReport concurrent = futures.get(i).get(60, TimeUnit.SECONDS);
        assertThat(concurrent.errors()).containsExactly(sequential.get(i).errors());
        assertThat(concurrent.decision()).isEqualTo(sequential.get(i).decision());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sequential.stream().filter(DriftReport::drift).count()).as("noisy batches drift").isGreaterThan(10);
  }

  @Test
  void aLargeBatchReachesTheAutoencoderWholeSinceChunkingIsTheBackendsJob() {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    Autoencoder counting = Fakes.of(PIXEL, "blank", b -> {
      sizes.add(b.size());
      return new float[b.size()][1];
    });
    DriftDetector detector = DriftDetector.builder(counting, blankBaseline()).build();
    double[] errors = new SplittableRandom(1).doubles(1000, 0, 0.25).toArray();
    DriftReport r = detector.check(Fakes.withErrors(errors));
    assertThat(sizes).containsExactly(1000);
    assertThat(r.errors()).usingComparatorWithPrecision(1e-6).containsExactly(errors);
  }

  @Test
  void requiredPartsAreRequiredByTheEntryPoint() {
    assertThatThrownBy(() -> DriftDetector.builder(null, blankBaseline())).isInstanceOf(NullPointerException.class)
        .hasMessage("autoencoder");
    assertThatThrownBy(() -> DriftDetector.builder(Fakes.blank(PIXEL), null)).isInstanceOf(NullPointerException.class)
        .hasMessage("baseline");
  }

  @Test
  void aBaselineOfAnotherModelIsRefused() {
    assertThatThrownBy(() -> DriftDetector.builder(Fakes.of(PIXEL, "other-model", b -> new float[b.size()][1]),
        blankBaseline()).build())
        .isInstanceOf(IncompatibleBaselineException.class)
        .hasMessage("baseline was computed with autoencoder blank, but the detector's autoencoder is other-model;"
            + " recompute the baseline with this model (Baseline.compute)");
  }

  @Test
  void aBaselineOfAnotherShapeIsRefused() {
    assertThatThrownBy(() -> DriftDetector.builder(Fakes.blank(ImageShape.grey(28, 28)), blankBaseline()).build())
        .isInstanceOf(IncompatibleBaselineException.class)
        .hasMessage("baseline image shape must equal the autoencoder's input shape 1x28x28, but was 1x1x1");
  }

  @Test
  void badSettingsAreRefusedAtOnce() {
    assertThatThrownBy(() -> DriftDetectorConfig.custom().outlierQuantile(1.0))
        .hasMessage("outlierQuantile must be greater than 0 and lower than 1, but was 1.0");
    assertThatThrownBy(() -> blankDetector().config(null)).isInstanceOf(NullPointerException.class).hasMessage("config");
  }

  @Test
  void aConfigIsImmutableAndCopiesFromAnother() {
    DriftDetectorConfig config = DriftDetectorConfig.custom().policy(DriftPolicy.ksTest(0.05)).outlierQuantile(0.9).build();
    DriftDetectorConfig copy = DriftDetectorConfig.from(config).outlierQuantile(0.95).build();
    assertThat(config.outlierQuantile()).isEqualTo(0.9);
    assertThat(copy.outlierQuantile()).isEqualTo(0.95);
    assertThat(copy.policy()).isSameAs(config.policy());
    assertThat(DriftDetectorConfig.ofDefaults().policy().name()).isEqualTo("rankTest(alpha=0.01)");
    assertThat(DriftDetectorConfig.ofDefaults().outlierQuantile()).isEqualTo(DriftDetectorConfig.DEFAULT_OUTLIER_QUANTILE);
  }

  @Test
  void aWrongShapedBatchIsRefusedWithBothShapes() {
    DriftDetector detector = blankDetector().build();
    assertThatThrownBy(() -> detector.check(ImageBatch.ofFlat(ImageShape.grey(2, 2), new float[4])))
        .hasMessage("batch shape must be 1x1x1 (the autoencoder's input shape), but was 1x2x2");
  }

  @Test
  void aBatchMadeAnotherWayThanTheBaselinesImagesIsRefused() {
    DriftDetector detector = blankDetector().build();
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(3, 3, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    ImageBatch resized = ImagePreprocessing.resize(ImagePreprocessing.Interpolation.AREA).image(PIXEL, image);
    assertThatThrownBy(() -> detector.check(resized))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch preprocessing must be none (the baseline's images were made so), but was resize:area;"
            + " errors of images resized another way are not comparable");
  }

  @Test
  void aMisbehavingAutoencoderIsReportedClearly() {
    Baseline baseline = blankBaseline();
    DriftDetector tooFew = DriftDetector.builder(Fakes.of(PIXEL, "blank", b -> new float[1][1]), baseline).build();
    assertThatThrownBy(() -> tooFew.check(Fakes.withErrors(0.1, 0.2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("autoencoder must return 2 reconstructions, but returned 1");
    DriftDetector nan = DriftDetector.builder(Fakes.of(PIXEL, "blank", b -> new float[][] {{0.5f}, {Float.NaN}}),
        baseline).build();
    assertThatThrownBy(() -> nan.check(Fakes.withErrors(0.1, 0.2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("reconstruction of image 1 must be finite, but value 0 was NaN; the autoencoder produced an invalid"
            + " output");
  }

  @Test
  void theDetectorNeverClosesTheAutoencoderItWasGiven() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    Closing autoencoder = new Closing(() -> closed.set(true));
    DriftDetector detector = DriftDetector.builder(autoencoder, blankBaseline()).build();
    assertThat(detector.check(Fakes.withErrors(0.1)).batchSize()).isEqualTo(1);
    assertThat(detector).isNotInstanceOf(AutoCloseable.class);
    assertThat(closed).isFalse();
    autoencoder.close();
    assertThat(closed).isTrue();
  }

  /** A blank autoencoder whose {@code close} does what it is given. */
  private static final class Closing implements Autoencoder, AutoCloseable {
    private final Autoencoder base = Fakes.blank(PIXEL);
    private final AutoCloseable onClose;

    Closing(AutoCloseable onClose) {
      this.onClose = onClose;
    }

    @Override
    public ImageShape inputShape() {
      return base.inputShape();
    }

    @Override
    public float[][] reconstruct(ImageBatch batch) {
      return base.reconstruct(batch);
    }

    @Override
    public String fingerprint() {
      return base.fingerprint();
    }

    @Override
    public void close() throws Exception {
      onClose.close();
    }
  }
}
