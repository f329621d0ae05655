package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.drift4j.examples.data.IdxBytes.gzip;
import static org.drift4j.examples.data.IdxBytes.idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.testkit.Allocations;
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
        .hasMessage(dir.resolve("l.gz") + ": not an IDX image file: magic number must be 0x00000803 (or 0x00000804 for colour), but was 0x00000801 (a label file)");
  }

  @Test
  void aTruncatedFileIsNamed() throws IOException {
    Files.write(dir.resolve("t"), idx(0x803, new int[] {2, 2, 2}, new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> Idx.readImages(dir.resolve("t")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("t") + ": header promises 2 images of 2x2 (8 bytes) but the file holds only 3 bytes"
            + " after the header: it ends inside image 0 (counting from 0)");
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

  @Test
  void aRawHeaderPromisingMoreThanTheFileHoldsIsRefusedBeforeAnythingIsAllocated() throws IOException {
    Path file = dir.resolve("liar-idx3-ubyte");
    Files.write(file, idx(0x803, new int[] {1_000_000_000, 1, 1}, new byte[100]));
    assertThat(file).hasSize(116);
    assertThatThrownBy(() -> Idx.readImages(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ": header promises 1000000000 images of 1x1 (1000000000 bytes) but the file holds only"
            + " 100 bytes after the header: it ends before image 100 (counting from 0)");
  }

  @Test
  void aGzipHeaderPromisingMoreThanTheStreamHoldsIsRefusedWhenTheDataRunsOut() throws IOException {
    Path file = dir.resolve("liar.gz");
    Files.write(file, gzip(idx(0x803, new int[] {100_000_000, 1, 1}, new byte[10])));
    assertThatThrownBy(() -> Idx.readImages(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ": header promises 100000000 images of 1x1 (100000000 bytes) but the file holds only"
            + " 10 bytes after the header: it ends before image 10 (counting from 0)");
  }

  @Test
  void aGzipHeaderPromisingOneHugeImageAllocatesOnlyWhatTheStreamHolds() throws IOException {
    Allocations.assumeCounted();
    Path file = dir.resolve("huge-image.gz");
    Files.write(file, gzip(idx(0x803, new int[] {1, 10_000, 10_000}, new byte[10])));
    long before = Allocations.sofar();
    assertThatThrownBy(() -> Idx.readImages(file))
        .hasMessage(file + ": header promises 1 images of 10000x10000 (100000000 bytes) but the file holds only 10"
            + " bytes after the header: it ends inside image 0 (counting from 0)");
    assertThat(Allocations.sofar() - before).as("bytes allocated").isLessThan(8L << 20);
  }

  @Test
  void aFileLargerThanTheInMemoryCapIsRefusedFromItsHeaderAndPointedToStreaming() throws IOException {
    // 2,000,000 blank 28x28 images deflate to about 1.5 MB; the header alone decides
    Path file = dir.resolve("bomb.gz");
    Files.write(file, gzip(idx(0x803, new int[] {2_000_000, 28, 28}, new byte[784])));
    assertThatThrownBy(() -> Idx.readImages(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ": header promises 2000000 images of 28x28 (1568000000 bytes), more than the "
            + Idx.MAX_BYTES_IN_MEMORY + " bytes that readImages loads at once; stream it with Idx.openImages");
  }

  @Test
  void headerSizesWhoseProductOverflowsAreRefused() throws IOException {
    Path file = dir.resolve("huge");
    Files.write(file, idx(0x803, new int[] {Integer.MAX_VALUE, 65536, 65536}, new byte[4]));
    assertThatThrownBy(() -> Idx.readImages(file))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ": an image of 65536x65536 (4294967296 bytes) is larger than the " + Idx.MAX_BYTES_IN_MEMORY
            + " bytes a chunk may hold");
  }

  @Test
  void aGzipWhoseTrailerCrcIsWrongIsRefused() throws IOException {
    Idx.writeImages(images(), dir.resolve("i.gz"));
    byte[] bytes = Files.readAllBytes(dir.resolve("i.gz"));
    bytes[bytes.length - 8] ^= 0x01;
    Files.write(dir.resolve("i.gz"), bytes);
    assertThatThrownBy(() -> Idx.readImages(dir.resolve("i.gz")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(dir.resolve("i.gz") + ": corrupt gzip stream: CRC check failed: the trailer says 0x");
  }

  @Test
  void aGzipWhoseTrailerSizeIsWrongIsRefused() throws IOException {
    Idx.writeLabels(new int[] {1, 2, 3}, dir.resolve("l.gz"));
    byte[] bytes = Files.readAllBytes(dir.resolve("l.gz"));
    bytes[bytes.length - 4] ^= 0x01;
    Files.write(dir.resolve("l.gz"), bytes);
    assertThatThrownBy(() -> Idx.readLabels(dir.resolve("l.gz")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("l.gz") + ": corrupt gzip stream: size check failed: the trailer says 10 bytes but"
            + " the stream inflated to 11");
  }

  @Test
  void bytesAfterTheLastImageAreRefusedInRawAndGzipFiles() throws IOException {
    byte[] raw = idx(0x803, new int[] {1, 2, 2}, new byte[] {1, 2, 3, 4, 5, 6, 7});
    Files.write(dir.resolve("raw"), raw);
    assertThatThrownBy(() -> Idx.readImages(dir.resolve("raw")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("raw") + ": holds 3 bytes after its last image (the header promises 1 images of 2x2,"
            + " 4 bytes); an IDX file must end with its last image");
    Files.write(dir.resolve("g.gz"), gzip(raw));
    assertThatThrownBy(() -> Idx.readImages(dir.resolve("g.gz")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("g.gz") + ": holds data after its last image (the header promises 1 images of 2x2,"
            + " 4 bytes); an IDX file must end with its last image");
  }

  @Test
  void bytesAfterTheGzipStreamAreRefused() throws IOException {
    Idx.writeImages(images(), dir.resolve("i.gz"));
    byte[] valid = Files.readAllBytes(dir.resolve("i.gz"));
    byte[] bytes = Arrays.copyOf(valid, valid.length + 4);
    Files.write(dir.resolve("i.gz"), bytes);
    assertThatThrownBy(() -> Idx.readImages(dir.resolve("i.gz")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("i.gz") + ": corrupt gzip stream: 4 bytes of trailing garbage after the gzip stream,"
            + " which ends at offset " + valid.length);
  }

  @Test
  void labelFilesAreCheckedLikeImageFiles() throws IOException {
    Files.write(dir.resolve("short"), idx(0x801, new int[] {1_000_000_000}, new byte[3]));
    assertThatThrownBy(() -> Idx.readLabels(dir.resolve("short")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("short") + ": header promises 1000000000 labels but the file holds only 3 after the header");
    Files.write(dir.resolve("short.gz"), gzip(idx(0x801, new int[] {100_000_000}, new byte[3])));
    assertThatThrownBy(() -> Idx.readLabels(dir.resolve("short.gz")))
        .hasMessage(dir.resolve("short.gz") + ": header promises 100000000 labels but the file holds only 3 after the header");
    Files.write(dir.resolve("long"), idx(0x801, new int[] {2}, new byte[3]));
    assertThatThrownBy(() -> Idx.readLabels(dir.resolve("long")))
        .hasMessage(dir.resolve("long") + ": holds 1 bytes after its last label (the header promises 2 labels);"
            + " an IDX file must end with its last label");
    Files.write(dir.resolve("long.gz"), gzip(idx(0x801, new int[] {2}, new byte[3])));
    assertThatThrownBy(() -> Idx.readLabels(dir.resolve("long.gz")))
        .hasMessage(dir.resolve("long.gz") + ": holds data after its last label (the header promises 2 labels);"
            + " an IDX file must end with its last label");
    Files.write(dir.resolve("bomb.gz"), gzip(idx(0x801, new int[] {Integer.MAX_VALUE}, new byte[3])));
    assertThatThrownBy(() -> Idx.readLabels(dir.resolve("bomb.gz")))
        .hasMessage(dir.resolve("bomb.gz") + ": header promises 2147483647 labels, more than the "
            + Idx.MAX_BYTES_IN_MEMORY + " that readLabels loads at once");
  }

  @Test
  void gzipFilesWithAFileNameInTheHeaderOrSeveralMembersAreRead() throws IOException {
    byte[] file = idx(0x803, new int[] {1, 1, 2}, new byte[] {0, (byte) 255});
    byte[] named = gzip(file);
    named[3] |= 0x08; // FNAME, as Python's gzip and gzip(1) write
    byte[] withName = new byte[named.length + 6];
    System.arraycopy(named, 0, withName, 0, 10);
    System.arraycopy("a.idx\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, withName, 10, 6);
    System.arraycopy(named, 10, withName, 16, named.length - 10);
    Files.write(dir.resolve("named.gz"), withName);
    assertThat(Idx.readImages(dir.resolve("named.gz")).toFlatArray()).containsExactly(0f, 1f);
    ByteArrayOutputStream twoMembers = new ByteArrayOutputStream();
    twoMembers.write(gzip(Arrays.copyOf(file, 9)));
    twoMembers.write(gzip(Arrays.copyOfRange(file, 9, file.length)));
    Files.write(dir.resolve("two.gz"), twoMembers.toByteArray());
    assertThat(Idx.readImages(dir.resolve("two.gz")).toFlatArray()).containsExactly(0f, 1f);
  }
}
