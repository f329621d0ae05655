package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.drift4j.DriftExplanation.Direction;
import org.drift4j.DriftExplanation.Region;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.Fakes;
import org.drift4j.testkit.PcaAutoencoder;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;

class DriftExplainerTest {

  static final ImageShape SHAPE = ImageShape.grey(24, 24);
  /** Each pixel's error depends on that pixel alone: a local change stays local. */
  static final Autoencoder MEAN = Fakes.meanImage(SyntheticImages.blobs(SHAPE, 400, 1));
  static final Baseline MEAN_BASELINE = Baseline.compute(MEAN, SyntheticImages.blobs(SHAPE, 1500, 2),
      ReconstructionError.MEAN_SQUARED_ERROR);
  static final DriftExplainer EXPLAINER = DriftExplainer.builder(MEAN, MEAN_BASELINE).build();
  /** A model whose reconstructions mix every pixel. */
  static final PcaAutoencoder PCA = PcaAutoencoder.fit(SyntheticImages.blobs(SHAPE, 400, 1), 6, 1);
  static final Baseline PCA_BASELINE = Baseline.compute(PCA, SyntheticImages.blobs(SHAPE, 1500, 2),
      ReconstructionError.MEAN_SQUARED_ERROR);

  /** Rows and columns [8, 16): a box where the blobs are bright. */
  static final int BOX_TOP = 8;
  static final int BOX_LEFT = 8;
  static final int BOX = 8;

  /** {@code images} with the box blanked (set to 0) in every image. */
  static ImageBatch occluded(ImageBatch images) {
    float[] pixels = images.toFlatArray();
    int n = SHAPE.size();
    for (int i = 0; i < images.size(); i++) {
      for (int y = BOX_TOP; y < BOX_TOP + BOX; y++) {
        for (int x = BOX_LEFT; x < BOX_LEFT + BOX; x++) {
          pixels[i * n + y * SHAPE.width() + x] = 0;
        }
      }
    }
    return ImageBatch.ofFlat(SHAPE, pixels);
  }

  static boolean inBox(int k) {
    int y = k / SHAPE.width();
    int x = k % SHAPE.width();
    return y >= BOX_TOP && y < BOX_TOP + BOX && x >= BOX_LEFT && x < BOX_LEFT + BOX;
  }

  @Test
  void aBoxBlankedInEveryImageGivesItsStrongestRegionInsideTheBoxAndTheSummarySaysSo() {
    DriftExplanation why = EXPLAINER.explain(occluded(SyntheticImages.blobs(SHAPE, 64, 3)), 8);
    float[] z = why.zMap();
    int peak = 0;
    for (int k = 1; k < z.length; k++) {
      peak = Math.abs(z[k]) > Math.abs(z[peak]) ? k : peak;
    }
    assertThat(inBox(peak)).as("the strongest pixel, %d, lies in the box", peak).isTrue();
    boolean[] up = why.significantUp();
    boolean[] down = why.significantDown();
    for (int k = 0; k < z.length; k++) {
      assertThat(up[k] || down[k]).as("pixel %d significant", k).isEqualTo(inBox(k));
    }
    assertThat(why.regions()).hasSize(1);
    Region region = why.regions().get(0);
    assertThat(region).isEqualTo(new Region(Direction.UP, BOX_TOP, BOX_LEFT, BOX, BOX, List.of(0), 1.0, region.peakZ()));
    assertThat(why.summary()).startsWith("Errors up in the centre 8\u00d78 region (rows 8\u201315, columns 8\u201315);"
        + " mean error +");
  }

  @Test
  void uniformNoiseRaisesErrorsAcrossTheImageWithoutARegion() {
    for (DriftExplainer explainer : new DriftExplainer[] {EXPLAINER, DriftExplainer.builder(PCA, PCA_BASELINE).build()}) {
      DriftExplanation why = explainer.explain(SyntheticImages.noise(SHAPE, 32, 4), 4);
      assertThat(why.regions()).isEmpty();
      assertThat(why.shareUp()).isGreaterThan(0.5);
      assertThat(why.summary()).startsWith("Uniform rise across the image (");
    }
  }

  @Test
  void cleanBatchesFlagAnyPixelInAtMostTheLevelsShareOfBatches() {
    int batches = 200;
    for (DriftExplainer explainer : new DriftExplainer[] {EXPLAINER, DriftExplainer.builder(PCA, PCA_BASELINE).build()}) {
      int flagged = 0;
      for (int b = 0; b < batches; b++) {
        DriftExplanation why = explainer.explain(SyntheticImages.blobs(SHAPE, 32, 1000 + b), 1);
        flagged += why.shareUp() + why.shareDown() > 0 ? 1 : 0;
        if (why.shareUp() + why.shareDown() == 0) {
          assertThat(why.summary()).startsWith("No pixel departs significantly from the baseline; mean error ");
        }
      }
      // Benjamini-Hochberg at 0.05: some pixel flagged on a batch without drift in at most 5% of batches
      assertThat(flagged / (double) batches).as("%s", explainer)
          .isLessThan(0.05 + 3 * Math.sqrt(0.05 * 0.95 / batches));
    }
  }

  @Test
  void faintImagesLowerTheErrorsAndSaySo() {
    float[] pixels = SyntheticImages.blobs(SHAPE, 64, 5).toFlatArray();
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] *= 0.2f;
    }
    DriftExplanation why = DriftExplainer.builder(PCA, PCA_BASELINE).build().explain(ImageBatch.ofFlat(SHAPE, pixels), 4);
    assertThat(why.shareDown()).isGreaterThan(why.shareUp());
    assertThat(why.meanError()).isLessThan(why.baselineMeanError());
    assertThat(why.summary()).startsWith("Errors down").contains("simpler");
  }

  @Test
  void theTopImagesAreTheSmallestPValuesWithTheirPixelsReconstructionsAndErrorMaps() {
    ImageBatch clean = SyntheticImages.blobs(SHAPE, 600, 6);
    ImageBatch noise = SyntheticImages.noise(SHAPE, 3, 7);
    // foreign images at 17, 300 (the second chunk) and 599 (the last)
    List<ImageBatch> parts = List.of(clean.slice(0, 17), noise.slice(0, 1), clean.slice(17, 299), noise.slice(1, 2),
        clean.slice(299, 597), noise.slice(2, 3));
    ImageBatch batch = ImageBatch.concat(parts);
    assertThat(batch.size()).isEqualTo(600);
    DriftExplanation why = DriftExplainer.builder(PCA, PCA_BASELINE).build().explain(batch, 5);
    List<ExplainedImage> top = why.topImages();
    assertThat(top).hasSize(5);
    assertThat(top.subList(0, 3)).extracting(ExplainedImage::index).containsExactlyInAnyOrder(17L, 300L, 599L);
    double[] errors = ReconstructionError.MEAN_SQUARED_ERROR.errors(batch, PCA.reconstruct(batch));
    for (int r = 0; r < top.size(); r++) {
      ExplainedImage image = top.get(r);
      int i = (int) image.index();
      assertThat(image.error()).as("the mean of its pixel errors is its error, to the last bit").isEqualTo(errors[i]);
      assertThat(image.pValue()).isEqualTo(PCA_BASELINE.upperTailPValue(errors[i]));
      assertThat(image.input()).containsExactly(batch.image(i));
      assertThat(image.reconstruction()).containsExactly(PCA.reconstruct(batch.slice(i, i + 1))[0]);
      double[] pixelErrors = ReconstructionError.MEAN_SQUARED_ERROR.pixelErrors(batch.image(i), image.reconstruction());
      float[] map = image.errorMap();
      for (int k = 0; k < map.length; k++) {
        assertThat(map[k]).isEqualTo((float) pixelErrors[k]);
      }
      if (r > 0) {
        ExplainedImage before = top.get(r - 1);
        assertThat(before.pValue() < image.pValue()
            || before.pValue() == image.pValue() && before.error() >= image.error()).as("order at %d", r).isTrue();
      }
    }
    double mean = 0;
    for (double e : errors) {
      mean += e / errors.length;
    }
    assertThat(why.meanError()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(why.size()).isEqualTo(600);
  }

  @Test
  void theMapsAreTheBatchMeansAgainstTheBaselines() {
    ImageBatch batch = SyntheticImages.blobs(SHAPE, 40, 8);
    DriftExplanation why = EXPLAINER.explain(batch, 2);
    PixelErrorStatistics stats = MEAN_BASELINE.pixelStatistics().orElseThrow();
    float[][] rebuilt = MEAN.reconstruct(batch);
    int k = 11 * 24 + 9;
    double sum = 0;
    double pixel = 0;
    for (int i = 0; i < batch.size(); i++) {
      sum += ReconstructionError.MEAN_SQUARED_ERROR.pixelErrors(batch.image(i), rebuilt[i])[k];
      pixel += batch.pixel(i, k);
    }
    assertThat((double) why.batchMeanErrors()[k]).isCloseTo(sum / 40, org.assertj.core.data.Offset.offset(1e-6));
    assertThat((double) why.meanImage()[k]).isCloseTo(pixel / 40, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(why.baselineMeanErrors()).containsExactly(stats.mean());
    assertThat(why.baselineCount()).isEqualTo(1500);
    assertThat(why.level()).isEqualTo(DriftExplainer.DEFAULT_LEVEL);
  }

  @Test
  void concurrentExplanationsEqualSequentialOnes() throws Exception {
    List<ImageBatch> batches = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int b = 0; b < 12; b++) {
      ImageBatch batch = b % 3 == 0 ? occluded(SyntheticImages.blobs(SHAPE, 20, 50 + b))
          : SyntheticImages.blobs(SHAPE, 20, 50 + b);
      batches.add(batch);
      expected.add(EXPLAINER.explain(batch, 3).toJson());
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (ImageBatch b : batches) {
        futures.add(pool.submit(() -> EXPLAINER.explain(b, 3).toJson()));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).as("batch %d", i).isEqualTo(expected.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void topOutsideOneToTheBatchSizeIsRefusedWithTheNumbers() {
    ImageBatch batch = SyntheticImages.blobs(SHAPE, 10, 9);
    assertThatThrownBy(() -> EXPLAINER.explain(batch, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("top must be between 1 and the 10 images explained, but was 0");
    assertThatThrownBy(() -> EXPLAINER.explain(batch, 11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("top must be between 1 and the 10 images explained, but was 11");
    assertThat(EXPLAINER.explain(batch, 10).topImages()).hasSize(10);
  }

  @Test
  void aBaselineWithoutPixelStatisticsIsRefusedSayingHowToRecomputeIt() throws Exception {
    Baseline errorsOnly = Baseline.of(MEAN_BASELINE.sortedErrors(), ReconstructionError.MEAN_SQUARED_ERROR, SHAPE,
        MEAN.fingerprint(), Instant.EPOCH);
    assertThatThrownBy(() -> DriftExplainer.builder(MEAN, errorsOnly).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no per-pixel error statistics")
        .hasMessageContaining("recompute it with Baseline.compute(autoencoder, validationImages, MEAN_SQUARED_ERROR)");
    Baseline schema1 = BaselineStore.read(Path.of(getClass().getResource("/fixtures/baseline-schema1.json").toURI()));
    Autoencoder itsModel = Fakes.of(schema1.shape(), schema1.autoencoderFingerprint(),
        b -> new float[b.size()][schema1.shape().size()]);
    assertThatThrownBy(() -> DriftExplanation.of(itsModel, schema1, ImageBatch.ofFlat(schema1.shape(),
        new float[schema1.shape().size()]), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("baseline " + schema1.id() + " has no per-pixel error statistics (it was read from a"
            + " schema-1 file")
        .hasMessageContaining("Baseline.compute");
  }

  @Test
  void aBatchOfAnotherShapeOrPreprocessingAndABaselineOfAnotherModelAreRefused() {
    ImageShape other = ImageShape.grey(24, 23);
    assertThatThrownBy(() -> EXPLAINER.explain(ImageBatch.ofFlat(other, new float[other.size()]), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch shape must be 1x24x24 (the autoencoder's input shape), but was 1x24x23");
    ImageBatch resized = ImagePreprocessing.resize(ImagePreprocessing.Interpolation.AREA).batch(SHAPE,
        List.of(new java.awt.image.BufferedImage(48, 48, java.awt.image.BufferedImage.TYPE_BYTE_GRAY)));
    assertThatThrownBy(() -> EXPLAINER.explain(resized, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch preprocessing must be none");
    assertThatThrownBy(() -> DriftExplainer.builder(PCA, MEAN_BASELINE).build())
        .isInstanceOf(IncompatibleBaselineException.class);
    assertThatThrownBy(() -> DriftExplainer.builder(MEAN, MEAN_BASELINE).level(1.0))
        .hasMessage("level must be greater than 0 and lower than 1, but was 1.0");
  }

  @Test
  void nonFiniteOrMissingReconstructionsAreRefusedNamingTheImage() {
    Autoencoder broken = Fakes.of(SHAPE, MEAN.fingerprint(), b -> {
      float[][] out = MEAN.reconstruct(b);
      out[b.size() - 1][5] = Float.NaN;
      return out;
    });
    assertThatThrownBy(() -> DriftExplainer.builder(broken, MEAN_BASELINE).build()
        .explain(SyntheticImages.blobs(SHAPE, 3, 10), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reconstruction of image 2 is not usable")
        .hasMessageContaining("NaN");
    Autoencoder short1 = Fakes.of(SHAPE, MEAN.fingerprint(), b -> new float[b.size() - 1][SHAPE.size()]);
    assertThatThrownBy(() -> DriftExplainer.builder(short1, MEAN_BASELINE).build()
        .explain(SyntheticImages.blobs(SHAPE, 3, 10), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("autoencoder must return 3 reconstructions, but returned 2");
  }
}
