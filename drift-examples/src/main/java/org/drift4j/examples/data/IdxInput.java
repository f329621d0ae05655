package org.drift4j.examples.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * An IDX file opened for reading, raw or gzip-compressed (told from its first two bytes, not its
 * name). Every gzip defect comes out as a {@link DataFormatException} naming the file.
 *
 * <p>Not thread-safe. Closing it closes the file.
 */
final class IdxInput implements Closeable {

  /** The first buffer of {@link #readUpTo}: 1 MiB. */
  static final int FIRST_BUFFER_BYTES = 1 << 20;

  private final Path file;
  private final InputStream in;
  private final long rawLength;

  private IdxInput(Path file, InputStream in, long rawLength) {
    this.file = file;
    this.in = in;
    this.rawLength = rawLength;
  }

  /**
   * Opens {@code file}.
   *
   * @throws DataFormatException if it starts like gzip but its gzip header is malformed
   */
  static IdxInput open(Path file) throws IOException {
    long length = Files.size(file);
    BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file));
    try {
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      if (b1 == 0x1f && b2 == 0x8b) {
        return new IdxInput(file, new GzipStream(raw), -1);
      }
      return new IdxInput(file, raw, length);
    } catch (ZipException e) {
      raw.close();
      throw corrupt(file, e);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** The file, for messages. */
  Path file() {
    return file;
  }

  /** Whether the file is gzip-compressed; then its content's size is known only once read. */
  boolean compressed() {
    return rawLength < 0;
  }

  /** The file's length in bytes; only for a raw file. */
  long rawLength() {
    if (compressed()) {
      throw new IllegalStateException(file + " is gzip-compressed: its content's length is unknown until read");
    }
    return rawLength;
  }

  /**
   * Reads one big-endian header field.
   *
   * @throws DataFormatException if the file ends first
   */
  int readInt() throws IOException {
    byte[] b = new byte[4];
    if (read(b, 0, 4) < 4) {
      throw new DataFormatException(file + ": truncated IDX header");
    }
    return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
  }

  /**
   * Reads {@code length} bytes, or fewer at the end of the content (the array is then as long as
   * what was read). Allocates as the bytes arrive, never more than twice what has been read plus
   * {@link #FIRST_BUFFER_BYTES}, so a header cannot make it allocate what the file lacks.
   */
  byte[] readUpTo(int length) throws IOException {
    byte[] bytes = new byte[Math.min(length, FIRST_BUFFER_BYTES)];
    int filled = 0;
    while (true) {
      filled += read(bytes, filled, bytes.length - filled);
      if (filled < bytes.length) {
        return Arrays.copyOf(bytes, filled);
      }
      if (filled == length) {
        return bytes;
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
    }
  }

  private int read(byte[] target, int offset, int length) throws IOException {
    try {
      return in.readNBytes(target, offset, length);
    } catch (ZipException e) {
      throw corrupt(file, e);
    }
  }

  /**
   * Whether the content ends here. For a gzip file this reads the trailer and checks its CRC and
   * size, so a corrupt stream fails here even when every promised byte was present.
   */
  boolean atEnd() throws IOException {
    try {
      return in.read() == -1;
    } catch (ZipException e) {
      throw corrupt(file, e);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private static DataFormatException corrupt(Path file, ZipException e) {
    return new DataFormatException(file + ": corrupt gzip stream: " + e.getMessage(), e);
  }
}
