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

  /** A valid 1x1 PNG whose header claims {@code width} x {@code height} pixels. */
  static byte[] pngClaiming(int width, int height) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", out);
    java.nio.ByteBuffer png = java.nio.ByteBuffer.wrap(out.toByteArray());
    png.putInt(16, width).putInt(20, height);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(png.array(), 12, 17);
    png.putInt(29, (int) crc.getValue());
    return png.array();
  }

  @Test
  void looseImagesNextToClassFoldersAreRefusedNamingOneOfEach() throws IOException {
    png(dir.resolve("A/x.png"), 4, 4, 0);
    png(dir.resolve("loose.png"), 4, 4, 0);
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir + ": holds both images (e.g. loose.png) and class folders (e.g. A/); a folder must hold either"
            + " images or class folders, not both");
  }

  @Test
  void anEmptyClassFolderIsRefusedNamingIt() throws IOException {
    png(dir.resolve("A/x.png"), 4, 4, 0);
    Files.createDirectories(dir.resolve("B"));
    Files.writeString(dir.resolve("B/notes.txt"), "no images here");
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("B") + ": class folder holds no PNG or JPEG image");
  }

  @Test
  void aClassFolderWhoseImagesAreAllUnreadableIsRefusedEvenWhenSkipping() throws IOException {
    png(dir.resolve("A/x.png"), 4, 4, 0);
    Files.createDirectories(dir.resolve("B"));
    Files.write(dir.resolve("B/bad.png"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), true))
        .hasMessage(dir.resolve("B") + ": class folder holds no readable PNG or JPEG image (1 unreadable files skipped)");
  }

  @Test
  void aFolderInsideAClassFolderIsRefused() throws IOException {
    png(dir.resolve("A/x.png"), 4, 4, 0);
    png(dir.resolve("A/deeper/y.png"), 4, 4, 0);
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("A/deeper") + ": a folder inside class folder A; class folders must hold images only");
  }

  @Test
  void aLinkToAFolderIsRefusedSoNoImageIsReadTwiceAndNoLoopIsFollowed() throws IOException {
    png(dir.resolve("A/x.png"), 4, 4, 0);
    Files.createSymbolicLink(dir.resolve("B"), dir.resolve("A"));
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("B") + ": a symbolic link to a folder; class folders must be real folders, so that no"
            + " image is read twice and no loop is followed");
    Files.delete(dir.resolve("B"));
    Files.createSymbolicLink(dir.resolve("A/loop"), dir);
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .hasMessageStartingWith(dir.resolve("A/loop") + ": a symbolic link to a folder");
  }

  @Test
  void linksToImageFilesAreFollowedButEachFileIsReadOnce() throws IOException {
    Path elsewhere = Files.createDirectories(dir.resolve(".store"));
    png(elsewhere.resolve("real.png"), 4, 4, 51);
    png(dir.resolve("A/own.png"), 4, 4, 0);
    Files.createSymbolicLink(dir.resolve("A/linked.png"), elsewhere.resolve("real.png"));
    LabeledImages read = ImageFolders.read(dir, ImageShape.grey(4, 4), false);
    assertThat(read.size()).isEqualTo(2);
    assertThat(read.images().pixel(0, 0)).isEqualTo(0.2f);

    Files.createDirectories(dir.resolve("B"));
    Files.createSymbolicLink(dir.resolve("B/again.png"), dir.resolve("A/own.png"));
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("B/again.png") + ": the same file as " + dir.resolve("A/own.png")
            + " (a link); each image file may appear only once");
  }

  @Test
  void aHardLinkIsTheSameFileToo() throws IOException {
    png(dir.resolve("a.png"), 4, 4, 0);
    Files.createLink(dir.resolve("b.png"), dir.resolve("a.png"));
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .hasMessage(dir.resolve("b.png") + ": the same file as " + dir.resolve("a.png")
            + " (a link); each image file may appear only once");
  }

  @Test
  void aLinkThatLeadsNowhereIsRefusedWhenItIsNamedAsAnImage() throws IOException {
    png(dir.resolve("a.png"), 4, 4, 0);
    Files.createSymbolicLink(dir.resolve("gone.png"), dir.resolve("absent.png"));
    Files.createSymbolicLink(dir.resolve("gone.txt"), dir.resolve("absent.txt"));
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("gone.png") + ": a symbolic link that leads to no file (broken, or a loop)");
  }

  @Test
  void hiddenFilesAreIgnoredAndOtherFilesAreCounted() throws IOException {
    png(dir.resolve("A/x.png"), 4, 4, 0);
    png(dir.resolve("A/.hidden.png"), 4, 4, 0);
    png(dir.resolve(".ipynb_checkpoints/y.png"), 4, 4, 0);
    Files.writeString(dir.resolve(".DS_Store"), "");
    Files.writeString(dir.resolve("README.txt"), "letters");
    Files.writeString(dir.resolve("A/labels.csv"), "x,0");
    LabeledImages read = ImageFolders.read(dir, ImageShape.grey(4, 4), false);
    assertThat(read.size()).isEqualTo(1);
    assertThat(read.source()).isEqualTo(dir + " (1 images in 1 classes, 2 non-image files ignored)");
  }

  @Test
  void anImageClaimingAHugeSizeIsRefusedBeforeItIsDecoded() throws IOException {
    Files.write(dir.resolve("huge.png"), pngClaiming(100_000, 100_000));
    assertThatThrownBy(() -> ImageFolders.read(dir, ImageShape.grey(4, 4), false))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("huge.png") + ": image must be 4x4 (width x height), but was 100000x100000");
    assertThatThrownBy(() -> ImageFolders.read(dir, null, false))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("huge.png") + ": an image of 100000x100000 (width x height) has more than the 16777216"
            + " pixels an image may have");
  }
}
