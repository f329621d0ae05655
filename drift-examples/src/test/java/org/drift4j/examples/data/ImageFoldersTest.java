package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFoldersTest {

  @TempDir
  Path dir;

  private static void png(Path file, int w, int h, int grey) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(0, 0, 0, grey);
    ImageIO.write(img, "png", file.toFile());
  }

  @Test
  void classFoldersBecomeLabelsInNameOrder() throws IOException {
    png(dir.resolve("B/x.png"), 4, 4, 255);
    png(dir.resolve("A/y.png"), 4, 4, 0);
    png(dir.resolve("A/x.png"), 4, 4, 51);
    LabeledImages read = ImageFolders.read(dir, ImageShape.grey(4, 4), false);
    assertThat(read.labels()).containsExactly(0, 0, 1);
    assertThat(read.images().pixel(0, 0)).isEqualTo(0.2f);
    assertThat(read.images().pixel(2, 0)).isEqualTo(1f);
    assertThat(read.source()).contains("3 images in 2 classes");
  }

  @Test
  void aFlatFolderHasNoLabelsAndItsShapeCanComeFromTheFirstImage() throws IOException {
    png(dir.resolve("a.png"), 6, 3, 0);
    LabeledImages read = ImageFolders.read(dir, null, false);
    assertThat(read.labels()).isNull();
    assertThat(read.images().shape()).isEqualTo(ImageShape.grey(3, 6));
  }

  @Test
  void aCorruptImageFailsUnlessSkipped() throws IOException {
    png(dir.resolve("A/good.png"), 4, 4, 0);
    Files.write(dir.resolve("A/bad.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("A/bad.png") + ": not a readable PNG or JPEG image (corrupt or truncated file)");
    assertThat(ImageFolders.read(dir, ImageShape.grey(4, 4), true).source()).contains("1 unreadable files skipped");
  }

  @Test
  void aWrongSizedImageIsNamed() throws IOException {
    png(dir.resolve("a.png"), 5, 4, 0);
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .hasMessage(dir.resolve("a.png") + ": image must be 4x4 (width x height), but was 5x4");
  }

  @Test
  void anEmptyFolderIsRefused() {
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .hasMessage(dir + ": holds no PNG or JPEG image");
  }
}
