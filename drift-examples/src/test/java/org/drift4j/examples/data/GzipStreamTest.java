package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

class GzipStreamTest {

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] inflate(byte[] gz) throws IOException {
    try (GzipStream in = new GzipStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void whatGzipOutputStreamWritesIsReadBackAcrossManyBuffers() throws IOException {
    byte[] data = new byte[300_000];
    new SplittableRandom(3).nextBytes(data);
    Arrays.fill(data, 100_000, 200_000, (byte) 7);
    assertThat(inflate(gzip(data))).isEqualTo(data);
    assertThat(inflate(gzip(new byte[0]))).isEmpty();
  }

  @Test
  void optionalHeaderFieldsAreSkipped() throws IOException {
    byte[] plain = gzip("digits".getBytes(StandardCharsets.US_ASCII));
    byte[] header = Arrays.copyOf(plain, 10);
    header[3] = 4 | 8 | 16 | 2; // FEXTRA, FNAME, FCOMMENT, FHCRC
    byte[] fields = concat(new byte[] {3, 0, 'a', 'b', 'c'}, "name\0".getBytes(StandardCharsets.US_ASCII),
        "comment\0".getBytes(StandardCharsets.US_ASCII), new byte[] {0x12, 0x34});
    byte[] gz = concat(header, fields, Arrays.copyOfRange(plain, 10, plain.length));
    assertThat(new String(inflate(gz), StandardCharsets.US_ASCII)).isEqualTo("digits");
  }

  @Test
  void membersAreConcatenated() throws IOException {
    byte[] gz = concat(gzip("ab".getBytes(StandardCharsets.US_ASCII)), gzip("cd".getBytes(StandardCharsets.US_ASCII)));
    assertThat(new String(inflate(gz), StandardCharsets.US_ASCII)).isEqualTo("abcd");
  }

  @Test
  void aWrongCrcOrSizeFailsWhenTheEndIsRead() throws IOException {
    byte[] gz = gzip(new byte[] {1, 2, 3});
    byte[] badCrc = gz.clone();
    badCrc[gz.length - 5] ^= (byte) 0x80;
    assertThatThrownBy(() -> inflate(badCrc))
        .isInstanceOf(ZipException.class)
        .hasMessageMatching("CRC check failed: the trailer says 0x[0-9a-f]{8} but the data gives 0x[0-9a-f]{8}");
    byte[] badSize = gz.clone();
    badSize[gz.length - 1] = 1;
    assertThatThrownBy(() -> inflate(badSize))
        .hasMessage("size check failed: the trailer says 16777219 bytes but the stream inflated to 3");
  }

  @Test
  void truncationIsNamedWithWhereItHappened() throws IOException {
    byte[] gz = gzip(new byte[1000]);
    assertThatThrownBy(() -> inflate(Arrays.copyOf(gz, 5)))
        .isInstanceOf(ZipException.class)
        .hasMessage("truncated: the file ends inside the gzip header, at offset 5");
    assertThatThrownBy(() -> inflate(Arrays.copyOf(gz, 12)))
        .hasMessage("truncated: the file ends inside the compressed data, at offset 12");
    assertThatThrownBy(() -> inflate(Arrays.copyOf(gz, gz.length - 3)))
        .hasMessage("truncated: the file ends inside the trailer, at offset " + (gz.length - 3));
  }

  @Test
  void bytesAfterTheLastMemberAreRefused() throws IOException {
    byte[] gz = gzip(new byte[] {1});
    assertThatThrownBy(() -> inflate(concat(gz, new byte[] {0, 0, 0})))
        .isInstanceOf(ZipException.class)
        .hasMessage("3 bytes of trailing garbage after the gzip stream, which ends at offset " + gz.length);
    assertThatThrownBy(() -> inflate(concat(gz, new byte[] {0x1f, 0x00})))
        .hasMessage("header of the gzip member at offset " + gz.length + ": must start with 0x1f 0x8b, but started with"
            + " 0x1f 0x00");
  }

  @Test
  void malformedHeadersAreRefusedWithTheFieldAndValue() throws IOException {
    byte[] gz = gzip(new byte[] {1});
    assertThatThrownBy(() -> inflate(new byte[] {'P', 'K', 3, 4}))
        .hasMessage("gzip header: must start with 0x1f 0x8b, but started with 0x50 0x4b");
    byte[] method = gz.clone();
    method[2] = 7;
    assertThatThrownBy(() -> inflate(method)).hasMessage("gzip header: compression method must be 8 (deflate), but was 7");
    byte[] flags = gz.clone();
    flags[3] = (byte) 0x20;
    assertThatThrownBy(() -> inflate(flags)).hasMessage("gzip header: reserved flag bits must be 0, but flags were 0x20");
  }

  @Test
  void invalidDeflateDataIsRefused() throws IOException {
    byte[] gz = gzip(new byte[] {1, 2, 3});
    gz[10] = (byte) 0xFF; // block type 3 is reserved
    assertThatThrownBy(() -> inflate(gz))
        .isInstanceOf(ZipException.class)
        .hasMessageStartingWith("invalid deflate data near offset ");
  }
}
