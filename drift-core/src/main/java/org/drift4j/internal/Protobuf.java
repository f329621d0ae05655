package org.drift4j.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers writer: enough to emit ONNX models (drift-dl4j's export, drift-onnx's
 * error graphs). Not part of the API. Not thread-safe.
 */
public final class Protobuf {

  private static final int VARINT = 0;
  private static final int FIXED32 = 5;
  private static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public Protobuf int64(int field, long value) {
    tag(field, VARINT);
    varint(value);
    return this;
  }

  public Protobuf float32(int field, float value) {
    tag(field, FIXED32);
    int bits = Float.floatToIntBits(value);
    for (int i = 0; i < 4; i++) {
      out.write((bits >>> (8 * i)) & 0xFF);
    }
    return this;
  }

  public Protobuf string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  public Protobuf bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    varint(value.length);
    out.writeBytes(value);
    return this;
  }

  public Protobuf message(int field, Protobuf message) {
    return bytes(field, message.toByteArray());
  }

  /** A repeated int64 field, packed. */
  public Protobuf packedInt64(int field, long... values) {
    Protobuf packed = new Protobuf();
    for (long v : values) {
      packed.varint(v);
    }
    return bytes(field, packed.toByteArray());
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
