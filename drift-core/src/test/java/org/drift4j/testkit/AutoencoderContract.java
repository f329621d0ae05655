package org.drift4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftExplanation;
import org.drift4j.DriftReport;
import org.drift4j.ExplainedImage;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.spi.Autoencoder;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit: what every {@link Autoencoder} must do. A backend's test extends this
 * class and says how to get its autoencoder and clean images of its shape.
 */
public abstract class AutoencoderContract {

  /** The autoencoder under test; may be shared across tests. */
  protected abstract Autoencoder autoencoder();

  /** {@code count} clean images of the autoencoder's shape, seeded. */
  protected abstract ImageBatch images(int count, long seed);

  /**
   * An autoencoder of the same backend and shape whose reconstructions are not finite (NaN or
   * infinite) for every image, e.g. a model with a NaN weight: the kit checks that errors and
   * {@code check()} refuse them, naming the image.
   */
  protected abstract Autoencoder autoencoderWithNonFiniteOutput();

  /** Largest allowed difference between an image reconstructed alone and within a batch. */
  protected double batchIndependenceTolerance() {
    return 1e-5;
  }

  @Test
  void inputShapeIsStableAndMatchesTheImages() {
    Autoencoder ae = autoencoder();
    assertThat(ae.inputShape()).isNotNull().isEqualTo(ae.inputShape());
    assertThat(images(2, 1).shape()).isEqualTo(ae.inputShape());
  }

  @Test
  void reconstructsOneFiniteRowPerImageInTheUnitRange() {
    Autoencoder ae = autoencoder();
    ImageBatch batch = images(7, 2);
    float[][] out = ae.reconstruct(batch);
    assertThat(out.length).isEqualTo(7);
    for (float[] row : out) {
      assertThat(row).hasSize(ae.inputShape().size());
      for (float v : row) {
        assertThat(v).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void reconstructionIsDeterministic() {
    Autoencoder ae = autoencoder();
    ImageBatch batch = images(5, 3);
    assertThat(ae.reconstruct(batch)).isDeepEqualTo(ae.reconstruct(batch));
  }

  @Test
  void anImageIsRebuiltTheSameAloneOrInABatch() {
    Autoencoder ae = autoencoder();
    ImageBatch batch = images(6, 4);
    float[][] together = ae.reconstruct(batch);
    for (int i = 0; i < batch.size(); i++) {
      float[] alone = ae.reconstruct(batch.slice(i, i + 1))[0];
      for (int p = 0; p < alone.length; p++) {
        assertThat((double) alone[p]).isCloseTo(together[i][p], org.assertj.core.data.Offset.offset(batchIndependenceTolerance()));
      }
    }
  }

  @Test
  void errorsAgreeWithEachMeasureAppliedToTheReconstructions() {
    Autoencoder ae = autoencoder();
    ImageBatch batch = images(9, 11);
    float[][] reconstructions = ae.reconstruct(batch);
    for (ReconstructionError measure : ReconstructionError.values()) {
      double[] expected = measure.errors(batch, reconstructions);
      double[] actual = ae.errors(batch, measure);
      assertThat(actual).as("%s", measure).hasSize(9);
      for (int i = 0; i < 9; i++) {
        assertThat(actual[i]).as("%s of image %d", measure, i)
            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5 * Math.max(1e-3, expected[i])));
      }
    }
  }

  @Test
  void pixelErrorsAverageToTheImageErrorsForEveryMeasure() {
    Autoencoder ae = autoencoder();
    ImageBatch batch = images(6, 14);
    float[][] reconstructions = ae.reconstruct(batch);
    for (ReconstructionError measure : ReconstructionError.values()) {
      double[] exact = measure.errors(batch, reconstructions);
      double[] engine = ae.errors(batch, measure);
      for (int i = 0; i < batch.size(); i++) {
        double[] pixels = measure.pixelErrors(batch.image(i), reconstructions[i]);
        assertThat(pixels).as("%s of image %d", measure, i).hasSize(ae.inputShape().size());
        double sum = 0;
        for (double p : pixels) {
          assertThat(p).as("%s pixel of image %d", measure, i).isFinite().isGreaterThanOrEqualTo(0);
          sum += p;
        }
        assertThat(sum / pixels.length).as("%s of image %d, to the last bit", measure, i).isEqualTo(exact[i]);
        assertThat(sum / pixels.length).as("%s of image %d, against the engine's errors", measure, i)
            .isCloseTo(engine[i], org.assertj.core.data.Offset.offset(1e-5 * Math.max(1e-3, engine[i])));
      }
    }
  }

  @Test
  void anExplanationsImagesCarryTheErrorsOfTheirReconstructionsForEveryMeasure() {
    Autoencoder ae = autoencoder();
    ImageBatch validation = images(40, 15);
    ImageBatch batch = images(8, 16);
    float[][] reconstructions = ae.reconstruct(batch);
    for (ReconstructionError measure : ReconstructionError.values()) {
      Baseline baseline = Baseline.compute(ae, validation, measure);
      DriftExplanation why = DriftExplanation.of(ae, baseline, batch, batch.size());
      double[] exact = measure.errors(batch, reconstructions);
      assertThat(why.topImages()).as("%s", measure).hasSize(batch.size());
      for (ExplainedImage image : why.topImages()) {
        int i = (int) image.index();
        assertThat(image.error()).as("%s of image %d", measure, i).isEqualTo(exact[i]);
        assertThat(image.reconstruction()).as("%s of image %d", measure, i).containsExactly(reconstructions[i]);
      }
      for (float z : why.zMap()) {
        assertThat(z).as("%s z-map", measure).isFinite();
      }
    }
  }

  @Test
  void concurrentErrorsEqualSequentialOnes() throws Exception {
    Autoencoder ae = autoencoder();
    List<ImageBatch> batches = new ArrayList<>();
    List<double[]> expected = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      ImageBatch b = images(1 + t % 6, 300 + t);
      batches.add(b);
      expected.add(ae.errors(b, ReconstructionError.BINARY_CROSS_ENTROPY));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<double[]>> futures = new ArrayList<>();
      for (ImageBatch b : batches) {
        futures.add(pool.submit(() -> ae.errors(b, ReconstructionError.BINARY_CROSS_ENTROPY)));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get(120, TimeUnit.SECONDS)).as("batch %d", i).containsExactly(expected.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fingerprintIsNonBlankAndStable() {
    Autoencoder ae = autoencoder();
    assertThat(ae.fingerprint()).isNotBlank().isEqualTo(ae.fingerprint());
  }

  @Test
  void latentCodeWhenOfferedHasOneRowPerImage() {
    Autoencoder ae = autoencoder();
    ImageBatch batch = images(3, 5);
    ae.encode(batch).ifPresent(codes -> {
      assertThat(codes.length).isEqualTo(3);
      assertThat(codes[0].length).isPositive();
    });
  }

  @Test
  void concurrentReconstructionsEqualSequentialOnes() throws Exception {
    Autoencoder ae = autoencoder();
    int threads = 8;
    List<ImageBatch> batches = new ArrayList<>();
    List<float[][]> expected = new ArrayList<>();
    for (int t = 0; t < threads * 3; t++) {
      ImageBatch b = images(1 + t % 5, 100 + t);
      batches.add(b);
      expected.add(ae.reconstruct(b));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<float[][]>> futures = new ArrayList<>();
      for (ImageBatch b : batches) {
        Callable<float[][]> task = () -> ae.reconstruct(b);
        futures.add(pool.submit(task));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get(120, TimeUnit.SECONDS)).as("batch %d", i).isDeepEqualTo(expected.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nonFiniteReconstructionsAreRefusedNamingTheImage() {
    Autoencoder broken = autoencoderWithNonFiniteOutput();
    ImageBatch batch = images(3, 12);
    assertThat(broken.inputShape()).isEqualTo(batch.shape());
    float[][] out = broken.reconstruct(batch);
    assertThat(out[0]).as("the broken model's output").matches(row -> {
      for (float v : row) {
        if (!Float.isFinite(v)) {
          return true;
        }
      }
      return false;
    });
    for (ReconstructionError measure : ReconstructionError.values()) {
      assertThatThrownBy(() -> broken.errors(batch, measure)).as("%s", measure)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("image 0")
          .hasMessageMatching("(?s).*(NaN|Infinity).*");
    }
    double[] clean = new java.util.SplittableRandom(13).doubles(40, 0.05, 0.2).toArray();
    Baseline baseline = Baseline.of(clean, ReconstructionError.BINARY_CROSS_ENTROPY,
        broken.inputShape(), broken.fingerprint(), java.time.Instant.EPOCH);
    DriftDetector detector = DriftDetector.builder(broken, baseline).build();
    assertThatThrownBy(() -> detector.check(batch))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("image 0");
  }

  @Test
  void worksEndToEndInADetector() {
    Autoencoder ae = autoencoder();
    Baseline baseline = Baseline.compute(ae, images(60, 6), ReconstructionError.MEAN_SQUARED_ERROR);
    assertThat(baseline.autoencoderFingerprint()).isEqualTo(ae.fingerprint());
    DriftDetector detector = DriftDetector.builder(ae, baseline).build();
    DriftReport report = detector.check(images(10, 7));
    assertThat(report.batchSize()).isEqualTo(10);
    assertThat(report.decision().pValue()).isBetween(0.0, 1.0);
    assertThat(report.autoencoderFingerprint()).isEqualTo(ae.fingerprint());
  }

  @Test
  void aDetectorRefusesABatchOfAnotherShape() {
    Autoencoder ae = autoencoder();
    Baseline baseline = Baseline.compute(ae, images(30, 8), ReconstructionError.MEAN_SQUARED_ERROR);
    DriftDetector detector = DriftDetector.builder(ae, baseline).build();
    ImageShape s = ae.inputShape();
    ImageShape other = new ImageShape(s.channels(), s.height() + 1, s.width());
    ImageBatch wrong = ImageBatch.ofFlat(other, new float[other.size()]);
    assertThatThrownBy(() -> detector.check(wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch shape must be " + s)
        .hasMessageContaining("but was " + other);
  }
}
