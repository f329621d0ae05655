package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.Fakes;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplanationImagesTest {

  @TempDir
  Path dir;

  private static final DriftExplanation OCCLUDED = DriftExplanation.of(DriftExplainerTest.MEAN,
      DriftExplainerTest.MEAN_BASELINE, DriftExplainerTest.occluded(SyntheticImages.blobs(DriftExplainerTest.SHAPE, 48, 31)),
      4);

  private static int red(int rgb) {
    return (rgb >> 16) & 0xFF;
  }

  private static int blue(int rgb) {
    return rgb & 0xFF;
  }

  @Test
  void theZMapPaintsTheRegionRedOverTheMeanImageAndOutlinesIt() {
    BufferedImage image = ExplanationImages.zMap(OCCLUDED);
    int scale = 224 / 24;
    int left = 8;
    int top = 8 + 2 * (PixelFont.height(2) + 4);
    assertThat(image.getWidth()).isEqualTo(300);
    assertThat(image.getHeight()).isGreaterThan(top + 24 * scale);
    // the middle of the blanked box, rows and columns 8 to 15
    int inside = image.getRGB(left + 12 * scale + 1, top + 12 * scale + 1);
    assertThat(red(inside)).as("inside the box").isGreaterThan(blue(inside) + 100);
    // far from it, nothing significant: grey
    int outside = image.getRGB(left + 2 * scale + 1, top + 21 * scale + 1);
    assertThat(Math.abs(red(outside) - blue(outside))).as("outside the box").isLessThan(60);
    assertThat(image.getRGB(left + 8 * scale, top + 8 * scale) & 0xFFFFFF).as("the outline's corner").isEqualTo(0xFFE000);
  }

  @Test
  void colourImagesGetOnePanelPerChannel() {
    ImageShape rgb = new ImageShape(3, 16, 16);
    Autoencoder mean = Fakes.meanImage(SyntheticImages.blobs(rgb, 100, 1));
    Baseline baseline = Baseline.compute(mean, SyntheticImages.blobs(rgb, 300, 2), ReconstructionError.MEAN_SQUARED_ERROR);
    DriftExplanation why = DriftExplanation.of(mean, baseline, SyntheticImages.noise(rgb, 20, 3), 2);
    assertThat(ExplanationImages.zMap(why).getWidth()).isEqualTo(2 * 8 + 3 * 16 * 14 + 2 * 6);
    assertThat(ExplanationImages.topImages(why).getHeight()).isGreaterThan(2 * 16 * 6);
  }

  @Test
  void theTopImagesShowEachInputAsItIsOneRowPerImage() {
    BufferedImage image = ExplanationImages.topImages(OCCLUDED);
    int scale = 96 / 24;
    int labelWidth = PixelFont.width("p=0.00012", 2) + 6;
    int top = 8 + PixelFont.height(2) + 4;
    ExplainedImage first = OCCLUDED.topImages().get(0);
    float v = first.input()[12 * 24 + 3];
    int rgb = image.getRGB(8 + labelWidth + 3 * scale, top + 12 * scale);
    assertThat(rgb & 0xFF).isEqualTo(Math.round(v * 255));
    BufferedImage one = ExplanationImages.topImages(DriftExplanation.of(DriftExplainerTest.MEAN,
        DriftExplainerTest.MEAN_BASELINE, SyntheticImages.blobs(DriftExplainerTest.SHAPE, 10, 1), 1));
    assertThat(image.getHeight() - one.getHeight()).isEqualTo(3 * (24 * scale + 6));
  }

  @Test
  void writeLeavesTheJsonAndTwoReadablePngs() throws Exception {
    Path out = dir.resolve("why");
    ExplanationImages.write(OCCLUDED, out);
    assertThat(new ObjectMapper().readTree(Files.readString(out.resolve(ExplanationImages.JSON_FILE)))
        .get("summary").asText()).isEqualTo(OCCLUDED.summary());
    for (String png : new String[] {ExplanationImages.Z_MAP_FILE, ExplanationImages.TOP_IMAGES_FILE}) {
      BufferedImage read = ImageIO.read(out.resolve(png).toFile());
      assertThat(read).as(png).isNotNull();
      assertThat(read.getWidth()).isGreaterThanOrEqualTo(300);
    }
    try (var files = Files.list(out)) {
      assertThat(files).hasSize(3);
    }
  }

  @Test
  void theColourScaleIsRoundAndCoversTheThreshold() {
    assertThat(ExplanationImages.range(new float[] {3.3f, -7.2f}, 4)).isEqualTo(10);
    assertThat(ExplanationImages.range(new float[] {1f}, 4)).isEqualTo(10);
    assertThat(ExplanationImages.range(new float[] {13f}, 4)).isEqualTo(20);
    assertThat(ExplanationImages.range(new float[] {1e6f}, 4)).isEqualTo(100);
    assertThat(ExplanationImages.heat(0) & 0xFFFFFF).isZero();
    assertThat(ExplanationImages.heat(1) & 0xFFFFFF).isEqualTo(0xFFFFFF);
  }
}
