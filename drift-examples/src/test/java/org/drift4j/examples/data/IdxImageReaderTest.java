package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.drift4j.examples.data.IdxBytes.gzip;
import static org.drift4j.examples.data.IdxBytes.idx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImageReaderTest {

  @TempDir
  Path dir;

  /** Ten 2x3 images; pixel p of image i is i * 6 + p. */
  private static byte[] tenImages(int declared, int present) {
    byte[] body = new byte[present * 6];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    return idx(0x803, new int[] {declared, 2, 3}, body);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  @Test
  void chunksHoldTheRequestedNumberOfImagesThenTheRest() throws IOException {
    for (Path file : List.of(write("raw", tenImages(10, 10)), write("i.gz", gzip(tenImages(10, 10))))) {
      try (IdxImageReader reader = Idx.openImages(file)) {
        assertThat(reader.shape()).isEqualTo(ImageShape.grey(2, 3));
        assertThat(reader.count()).isEqualTo(10);
        List<ImageBatch> chunks = new ArrayList<>();
        while (reader.hasNext()) {
          chunks.add(reader.next(4));
        }
        assertThat(chunks).extracting(ImageBatch::size).containsExactly(4, 4, 2);
        assertThat(reader.position()).isEqualTo(10);
        assertThat(chunks.get(1).pixel(0, 0)).isEqualTo(24 / 255f);
        assertThat(chunks.get(2).pixel(1, 5)).isEqualTo(59 / 255f);
        assertThat(ImageBatch.concat(chunks).toFlatArray()).containsExactly(Idx.readImages(file).toFlatArray());
      }
    }
  }

  @Test
  void aColourIdx4FileIsReadAsChannelMajorImagesOfItsChannels() throws IOException {
    byte[] body = new byte[2 * 3 * 2 * 2];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    for (Path file : List.of(write("c", idx(0x804, new int[] {2, 3, 2, 2}, body)),
        write("c.gz", gzip(idx(0x804, new int[] {2, 3, 2, 2}, body))))) {
      ImageBatch images = Idx.readImages(file);
      assertThat(images.shape()).isEqualTo(new ImageShape(3, 2, 2));
      assertThat(images.size()).isEqualTo(2);
      assertThat(images.pixel(1, 4)).isEqualTo(16 / 255f); // image 1, channel 1, row 0, column 0
    }
  }

  @Test
  void aTruncatedColourFileNamesItsShapeAndWhereItEnds() throws IOException {
    Path file = write("c", idx(0x804, new int[] {2, 3, 2, 2}, new byte[20]));
    assertThatThrownBy(() -> Idx.openImages(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ": header promises 2 images of 3x2x2 (24 bytes) but the file holds only 20 bytes after the"
            + " header: it ends inside image 1 (counting from 0)");
  }

  @Test
  void aColourFileWithoutChannelsIsRefused() throws IOException {
    Path file = write("c", idx(0x804, new int[] {2, 0, 2, 2}, new byte[0]));
    assertThatThrownBy(() -> Idx.openImages(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ": IDX header must give at least 1 image of at least 1x1 with at least 1 channel, but gave"
            + " 2 images of 0x2x2");
  }

  @Test
  void aTruncatedGzipFailsInTheChunkThatReachesTheMissingImage() throws IOException {
    Path file = write("t.gz", gzip(tenImages(10, 7)));
    try (IdxImageReader reader = Idx.openImages(file)) {
      assertThat(reader.next(4).size()).isEqualTo(4);
      assertThatThrownBy(() -> reader.next(4))
          .isInstanceOf(DataFormatException.class)
          .hasMessage(file + ": header promises 10 images of 2x3 (60 bytes) but the file holds only 42 bytes after the"
              + " header: it ends before image 7 (counting from 0)");
    }
  }

  @Test
  void aTruncatedRawFileFailsWhenOpened() throws IOException {
    byte[] cut = tenImages(10, 10);
    Path file = write("raw", java.util.Arrays.copyOf(cut, cut.length - 8));
    assertThatThrownBy(() -> Idx.openImages(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ": header promises 10 images of 2x3 (60 bytes) but the file holds only 52 bytes after the"
            + " header: it ends inside image 8 (counting from 0)");
  }

  @Test
  void theLastChunkComesOnlyOnceTheGzipTrailerIsVerified() throws IOException {
    byte[] gz = gzip(tenImages(10, 10));
    gz[gz.length - 6] ^= 0x01;
    Path file = write("crc.gz", gz);
    try (IdxImageReader reader = Idx.openImages(file)) {
      assertThat(reader.next(5).size()).isEqualTo(5);
      assertThatThrownBy(() -> reader.next(5))
          .isInstanceOf(DataFormatException.class)
          .hasMessageStartingWith(file + ": corrupt gzip stream: CRC check failed");
    }
  }

  @Test
  void aChunkAfterTheLastOrOfNoImagesIsRefused() throws IOException {
    Path file = write("raw", tenImages(10, 10));
    try (IdxImageReader reader = Idx.openImages(file)) {
      assertThatThrownBy(() -> reader.next(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxImages must be at least 1, but was 0");
      reader.next(100);
      assertThat(reader.hasNext()).isFalse();
      assertThatThrownBy(() -> reader.next(1))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("all 10 images of " + file + " have been read");
    }
  }

  @Test
  void aChunkLargerThanTheCapIsRefused() throws IOException {
    Path file = write("big.gz", gzip(idx(0x803, new int[] {1_000_000, 1000, 1000}, new byte[10])));
    try (IdxImageReader reader = Idx.openImages(file)) {
      assertThatThrownBy(() -> reader.next(1000))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxImages must be at most 134 for images of 1000x1000 (a chunk holds at most 134217728 bytes),"
              + " but was 1000");
    }
  }

  @Test
  void theHeaderIsValidatedWhenOpened() throws IOException {
    Path labels = write("labels", idx(0x801, new int[] {1}, new byte[1]));
    assertThatThrownBy(() -> Idx.openImages(labels))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(labels + ": not an IDX image file: magic number must be 0x00000803 (or 0x00000804 for colour), but was 0x00000801 (a label file)");
    Path zero = write("zero.gz", gzip(idx(0x803, new int[] {0, 28, 28}, new byte[0])));
    assertThatThrownBy(() -> Idx.openImages(zero))
        .hasMessage(zero + ": IDX header must give at least 1 image of at least 1x1, but gave 0 images of 28x28");
  }

  /** IDX sizes are unsigned: one above 2^31 - 1 was reported as "must give positive sizes, but gave -5". */
  @Test
  void aSizeAboveWhatAnArrayIndexesIsReportedAsTheUnsignedNumberTheHeaderGives() throws IOException {
    Path huge = write("huge-idx3-ubyte", idx(0x803, new int[] {-5, 28, 28}, new byte[0]));
    assertThatThrownBy(() -> Idx.openImages(huge))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(huge + ": IDX header gives 4294967291 images of 28x28; this reader supports sizes up to 2147483647");
  }
}
