package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePreprocessingTest {

  private static BufferedImage grey(int w, int h, int value) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.getRaster().setSample(x, y, 0, value);
      }
    }
    return image;
  }

  @Test
  void resizingBringsImagesOfAnySizeToTheShapeAndTheBatchRemembersHow() {
    ImagePreprocessing bilinear = ImagePreprocessing.resize(ImagePreprocessing.Interpolation.BILINEAR);
    ImageBatch batch = bilinear.batch(ImageShape.grey(4, 4), List.of(grey(20, 12, 255), grey(4, 4, 51), grey(3, 9, 0)));
    assertThat(batch.size()).isEqualTo(3);
    assertThat(batch.preprocessing()).isEqualTo(bilinear);
    assertThat(batch.image(0)).containsOnly(1f);
    assertThat(batch.image(1)).containsOnly(0.2f);
    assertThat(batch.image(2)).containsOnly(0f);
    assertThat(batch.slice(1, 2).preprocessing()).isEqualTo(bilinear);
    assertThat(batch.select(new int[] {2}).preprocessing()).isEqualTo(bilinear);
  }

  @Test
  void colourImagesBecomeGreyByLuminanceWhenResized() {
    BufferedImage red = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        red.setRGB(x, y, 0xFF0000);
      }
    }
    ImageBatch batch = ImagePreprocessing.resize(ImagePreprocessing.Interpolation.AREA).image(ImageShape.grey(2, 2), red);
    assertThat(batch.image(0)).containsOnly(0.299f);
  }

  @Test
  void noneIsWhatImageBatchOfImagesDoesAndRefusesAnotherSize() {
    assertThat(ImageBatch.ofImage(ImageShape.grey(4, 4), grey(4, 4, 0)).preprocessing())
        .isEqualTo(ImagePreprocessing.none());
    assertThatThrownBy(() -> ImagePreprocessing.none().image(ImageShape.grey(4, 4), grey(5, 4, 0)))
        .hasMessage("image 0 must be 4x4 (width x height), but was 5x4; resize it, e.g. with"
            + " ImagePreprocessing.resize(BILINEAR)");
  }

  @Test
  void idsNameThePreprocessingAndParseBack() {
    for (ImagePreprocessing.Interpolation i : ImagePreprocessing.Interpolation.values()) {
      ImagePreprocessing p = ImagePreprocessing.resize(i);
      assertThat(ImagePreprocessing.parse(p.id())).isEqualTo(p);
    }
    assertThat(ImagePreprocessing.none().id()).isEqualTo("none");
    assertThat(ImagePreprocessing.resize(ImagePreprocessing.Interpolation.BILINEAR).id()).isEqualTo("resize:bilinear");
    assertThatThrownBy(() -> ImagePreprocessing.parse("resize:lanczos"))
        .hasMessage("preprocessing must be none or resize:nearest, resize:bilinear or resize:area, but was resize:lanczos");
  }

  @Test
  void batchesMadeDifferentlyDoNotConcatenate() {
    ImageBatch raw = ImageBatch.ofImage(ImageShape.grey(4, 4), grey(4, 4, 0));
    ImageBatch resized = ImagePreprocessing.resize(ImagePreprocessing.Interpolation.NEAREST)
        .image(ImageShape.grey(4, 4), grey(8, 8, 0));
    assertThatThrownBy(() -> ImageBatch.concat(List.of(raw, resized)))
        .hasMessage("batches[1] must have preprocessing none, but had resize:nearest");
  }
}
