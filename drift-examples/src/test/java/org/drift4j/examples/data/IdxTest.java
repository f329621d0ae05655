package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

  @TempDir
  Path dir;

  private static ImageBatch images() {
    float[] flat = new float[3 * 4 * 5];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = (i % 256) / 255f;
    }
    return ImageBatch.ofFlat(ImageShape.grey(4, 5), flat);
  }

  @Test
  void gzippedImagesAndLabelsRoundTrip() throws IOException {
    Idx.writeImages(images(), dir.resolve("i.gz"));
    Idx.writeLabels(new int[] {7, 0, 9}, dir.resolve("l.gz"));
    LabeledImages read = Idx.read(dir.resolve("i.gz"), dir.resolve("l.gz"));
    assertThat(read.images().shape()).isEqualTo(ImageShape.grey(4, 5));
    assertThat(read.images().toFlatArray()).containsExactly(images().toFlatArray());
    assertThat(read.labels()).containsExactly(7, 0, 9);
  }

  @Test
  void rawFilesAreReadToo() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16 + 4);
    b.putInt(0x803).putInt(1).putInt(2).putInt(2).put(new byte[] {0, (byte) 255, 51, 102});
    Files.write(dir.resolve("raw-idx3-ubyte"), b.array());
    assertThat(Idx.readImages(dir.resolve("raw-idx3-ubyte")).toFlatArray()).containsExactly(0f, 1f, 0.2f, 0.4f);
  }

  @Test
  void aLabelFileGivenAsImagesIsNamed() throws IOException {
    Idx.writeLabels(new int[] {1}, dir.resolve("l.gz"));
    assertThatThrownBy(() -> Idx.readImages(dir.resolve("l.gz")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("l.gz") + ": not an IDX image file: magic number must be 0x00000803, but was 0x00000801 (a label file)");
  }

  @Test
  void aTruncatedFileIsNamed() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16 + 3);
    b.putInt(0x803).putInt(2).putInt(2).putInt(2).put(new byte[] {1, 2, 3});
    Files.write(dir.resolve("t"), b.array());
    assertThatThrownBy(() -> Idx.readImages(dir.resolve("t")))
        .hasMessage(dir.resolve("t") + ": truncated: the header promises 2 images of 2x2 but the file ends early");
    Files.write(dir.resolve("h"), new byte[] {0, 0, 8});
    assertThatThrownBy(() -> Idx.readImages(dir.resolve("h"))).hasMessage(dir.resolve("h") + ": truncated IDX header");
  }

  @Test
  void aCorruptGzipIsNamed() throws IOException {
    Idx.writeImages(images(), dir.resolve("i.gz"));
    byte[] bytes = Files.readAllBytes(dir.resolve("i.gz"));
    for (int i = 12; i < bytes.length - 8; i++) {
      bytes[i] = (byte) 0xAB;
    }
    Files.write(dir.resolve("i.gz"), bytes);
    assertThatThrownBy(() -> Idx.readImages(dir.resolve("i.gz"))).isInstanceOf(DataFormatException.class)
        .hasMessageContaining(dir.resolve("i.gz").toString());
  }

  @Test
  void mislabelledPairsAreRefused() throws IOException {
    Idx.writeImages(images(), dir.resolve("i.gz"));
    Idx.writeLabels(new int[] {1, 2}, dir.resolve("l.gz"));
    assertThatThrownBy(() -> Idx.read(dir.resolve("i.gz"), dir.resolve("l.gz")))
        .hasMessage(dir.resolve("l.gz") + ": holds 2 labels but " + dir.resolve("i.gz") + " holds 3 images; they must pair up");
  }
}
