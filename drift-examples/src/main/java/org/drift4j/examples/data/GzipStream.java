package org.drift4j.examples.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A strict gzip (RFC 1952) decoder: unlike {@link java.util.zip.GZIPInputStream}, it refuses bytes
 * after the last member instead of ignoring them, and a malformed second member instead of
 * stopping before it. Each member's CRC-32 and size are checked when its end is read, so a
 * caller must read to the end (until {@code read} returns -1) to know the data is intact.
 * Members are concatenated, as gzip(1) does. Every defect is a {@link ZipException} whose message
 * says what was wrong.
 *
 * <p>Holds one input buffer and no other state; not thread-safe. Closing it closes the input.
 */
final class GzipStream extends InputStream {

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final InputStream in;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] buffer = new byte[64 * 1024];
  private final byte[] single = new byte[1];
  private int position;
  private int limit;
  /** Offset in the compressed input of {@code buffer[0]}. */
  private long bufferStart;
  private boolean end;

  /**
   * @throws ZipException if the input does not start with a gzip member header
   */
  GzipStream(InputStream in) throws IOException {
    this.in = in;
    try {
      readHeader(true);
    } catch (IOException | RuntimeException e) {
      inflater.end();
      throw e;
    }
  }

  @Override
  public int read() throws IOException {
    return read(single, 0, 1) == -1 ? -1 : single[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (!end) {
      if (inflater.finished()) {
        finishMember();
        continue;
      }
      if (inflater.needsInput()) {
        if (position == limit && !fill()) {
          throw new ZipException("truncated: the file ends inside the compressed data, at offset " + offset());
        }
        inflater.setInput(buffer, position, limit - position);
        position = limit;
      }
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (java.util.zip.DataFormatException e) {
        throw new ZipException("invalid deflate data near offset " + offset() + ": " + e.getMessage());
      }
      if (inflater.finished()) {
        position = limit - inflater.getRemaining();
      }
      if (n > 0) {
        crc.update(b, off, n);
        return n;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("the deflate data asks for a preset dictionary, which gzip does not allow");
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }

  /** Checks the trailer of the member just inflated, then opens the next member or marks the end. */
  private void finishMember() throws IOException {
    long expectedCrc = readUInt32("trailer");
    long expectedSize = readUInt32("trailer");
    if (expectedCrc != crc.getValue()) {
      throw new ZipException(String.format("CRC check failed: the trailer says 0x%08x but the data gives 0x%08x",
          expectedCrc, crc.getValue()));
    }
    long size = inflater.getBytesWritten() & 0xFFFFFFFFL;
    if (expectedSize != size) {
      throw new ZipException("size check failed: the trailer says " + expectedSize + " bytes but the stream inflated to "
          + size);
    }
    long memberEnd = offset();
    if (position == limit && !fill()) {
      end = true;
      return;
    }
    if ((buffer[position] & 0xFF) != 0x1f) {
      long trailing = 0;
      while (position < limit || fill()) {
        trailing += limit - position;
        position = limit;
      }
      throw new ZipException(trailing + " bytes of trailing garbage after the gzip stream, which ends at offset "
          + memberEnd);
    }
    readHeader(false);
  }

  private void readHeader(boolean first) throws IOException {
    long start = offset();
    String where = first ? "gzip header" : "header of the gzip member at offset " + start;
    int id1 = readByte(where);
    int id2 = readByte(where);
    if (id1 != 0x1f || id2 != 0x8b) {
      throw new ZipException(where + ": must start with 0x1f 0x8b, but started with "
          + String.format("0x%02x 0x%02x", id1, id2));
    }
    int method = readByte(where);
    if (method != 8) {
      throw new ZipException(where + ": compression method must be 8 (deflate), but was " + method);
    }
    int flags = readByte(where);
    if ((flags & 0xE0) != 0) {
      throw new ZipException(where + ": reserved flag bits must be 0, but flags were " + String.format("0x%02x", flags));
    }
    skip(6, where); // MTIME, XFL, OS
    if ((flags & FEXTRA) != 0) {
      int extraLength = readByte(where) | readByte(where) << 8;
      skip(extraLength, where);
    }
    if ((flags & FNAME) != 0) {
      skipZeroTerminated(where);
    }
    if ((flags & FCOMMENT) != 0) {
      skipZeroTerminated(where);
    }
    if ((flags & FHCRC) != 0) {
      skip(2, where);
    }
    inflater.reset();
    crc.reset();
  }

  private long readUInt32(String where) throws IOException {
    long value = 0;
    for (int i = 0; i < 4; i++) {
      value |= (long) readByte(where) << (8 * i);
    }
    return value;
  }

  private void skip(int count, String where) throws IOException {
    for (int i = 0; i < count; i++) {
      readByte(where);
    }
  }

  private void skipZeroTerminated(String where) throws IOException {
    while (readByte(where) != 0) {
      // a file name or comment: not needed
    }
  }

  private int readByte(String where) throws IOException {
    if (position == limit && !fill()) {
      throw new ZipException("truncated: the file ends inside the " + where + ", at offset " + offset());
    }
    return buffer[position++] & 0xFF;
  }

  /** Refills the empty buffer; false at the end of the input. */
  private boolean fill() throws IOException {
    bufferStart += limit;
    position = 0;
    limit = 0;
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    limit = n;
    return true;
  }

  private long offset() {
    return bufferStart + position;
  }
}
