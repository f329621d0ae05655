package org.drift4j;

import java.nio.ByteBuffer;

/**
 * Where an {@link ImageBatch}'s pixel values live: a float array, or unsigned bytes in a buffer
 * (heap, direct or memory-mapped) read as value / 255. Values are addressed flat, images back to
 * back in CHW order. Immutable as far as this class goes: neither kind is ever written after
 * construction.
 */
abstract class Pixels {

  /** The number of values. */
  abstract int length();

  /** Value {@code index}. */
  abstract float get(int index);

  /** Copies values {@code [from, from + count)} into {@code target} at {@code offset}. */
  abstract void copyTo(int from, int count, float[] target, int offset);

  /** Values {@code [from, from + count)} as pixels of their own; a byte buffer's are a view, not a copy. */
  abstract Pixels range(int from, int count);

  /** Values {@code [from, from + count)} of each of {@code starts}, back to back, as new pixels of the same kind. */
  abstract Pixels gather(int[] starts, int count);

  static Pixels of(float[] values) {
    return new Floats(values);
  }

  /** The buffer's remaining bytes, read-only, from its position (which this does not move). */
  static Pixels of(ByteBuffer bytes) {
    return new Bytes(bytes.slice().asReadOnlyBuffer());
  }

  private static final class Floats extends Pixels {
    private final float[] values;

    Floats(float[] values) {
      this.values = values;
    }

    @Override
    int length() {
      return values.length;
    }

    @Override
    float get(int index) {
      return values[index];
    }

    @Override
    void copyTo(int from, int count, float[] target, int offset) {
      System.arraycopy(values, from, target, offset, count);
    }

    @Override
    Pixels range(int from, int count) {
      float[] part = new float[count];
      System.arraycopy(values, from, part, 0, count);
      return new Floats(part);
    }

    @Override
    Pixels gather(int[] starts, int count) {
      float[] part = new float[Math.multiplyExact(starts.length, count)];
      for (int i = 0; i < starts.length; i++) {
        System.arraycopy(values, starts[i], part, i * count, count);
      }
      return new Floats(part);
    }
  }

  private static final class Bytes extends Pixels {
    /** Values copied per bulk read. */
    private static final int BLOCK = 8_192;

    private final ByteBuffer bytes;

    Bytes(ByteBuffer bytes) {
      this.bytes = bytes;
    }

    @Override
    int length() {
      return bytes.remaining();
    }

    @Override
    float get(int index) {
      return (bytes.get(index) & 0xFF) / 255f;
    }

    @Override
    void copyTo(int from, int count, float[] target, int offset) {
      java.util.Objects.checkFromIndexSize(offset, count, target.length);
      byte[] block = new byte[Math.min(BLOCK, count)];
      for (int done = 0; done < count; done += block.length) {
        int n = Math.min(block.length, count - done);
        bytes.get(from + done, block, 0, n);
        for (int k = 0; k < n; k++) {
          target[offset + done + k] = (block[k] & 0xFF) / 255f;
        }
      }
    }

    @Override
    Pixels range(int from, int count) {
      return new Bytes(bytes.slice(from, count));
    }

    @Override
    Pixels gather(int[] starts, int count) {
      byte[] part = new byte[Math.multiplyExact(starts.length, count)];
      for (int i = 0; i < starts.length; i++) {
        bytes.get(starts[i], part, i * count, count);
      }
      return new Bytes(ByteBuffer.wrap(part).asReadOnlyBuffer());
    }
  }
}
