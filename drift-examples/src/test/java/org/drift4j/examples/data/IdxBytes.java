package org.drift4j.examples.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Hand-made IDX file contents for tests, including ones no writer would produce. */
public final class IdxBytes {

  private IdxBytes() {}

  /** An IDX file: magic, the header's sizes, then the body. */
  public static byte[] idx(int magic, int[] sizes, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * sizes.length + body.length);
    b.putInt(magic);
    for (int size : sizes) {
      b.putInt(size);
    }
    return b.put(body).array();
  }

  /** {@code bytes} as one gzip member. */
  public static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
