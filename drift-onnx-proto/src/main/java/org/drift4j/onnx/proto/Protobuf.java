package org.drift4j.onnx.proto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers message writer: fields are appended in call order, in the wire
 * format of proto3 (varints, fixed 32-bit floats, length-delimited bytes, strings and embedded
 * messages, packed repeated int64). Enough to emit ONNX models; there is no reader.
 *
 * <pre>{@code
 * byte[] shape = new Protobuf().int64(1, 28).int64(1, 28).toByteArray();
 * }</pre>
 *
 * <p>Not thread-safe: one writer per message being built.
 */
public final class Protobuf {

  private static final int VARINT = 0;
  private static final int FIXED32 = 5;
  private static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** An empty message. */
  public Protobuf() {}

  /**
   * Appends a varint field ({@code int32}, {@code int64}, {@code bool} or enum).
   *
   * @param field the field number
   * @param value the value; negative values take ten bytes, as proto3 writes them
   * @return this writer
   */
  public Protobuf int64(int field, long value) {
    tag(field, VARINT);
    varint(value);
    return this;
  }

  /**
   * Appends a {@code float} field.
   *
   * @param field the field number
   * @param value the value
   * @return this writer
   */
  public Protobuf float32(int field, float value) {
    tag(field, FIXED32);
    int bits = Float.floatToIntBits(value);
    for (int i = 0; i < 4; i++) {
      out.write((bits >>> (8 * i)) & 0xFF);
    }
    return this;
  }

  /**
   * Appends a {@code string} field, UTF-8 encoded.
   *
   * @param field the field number
   * @param value the value
   * @return this writer
   */
  public Protobuf string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Appends a {@code bytes} field.
   *
   * @param field the field number
   * @param value the bytes
   * @return this writer
   */
  public Protobuf bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    varint(value.length);
    out.writeBytes(value);
    return this;
  }

  /**
   * Appends an embedded message field.
   *
   * @param field the field number
   * @param message the message, as written so far
   * @return this writer
   */
  public Protobuf message(int field, Protobuf message) {
    return bytes(field, message.toByteArray());
  }

  /**
   * Appends a packed repeated {@code int64} field.
   *
   * @param field the field number
   * @param values the values
   * @return this writer
   */
  public Protobuf packedInt64(int field, long... values) {
    Protobuf packed = new Protobuf();
    for (long v : values) {
      packed.varint(v);
    }
    return bytes(field, packed.toByteArray());
  }

  /**
   * The message's bytes.
   *
   * @return a copy of the encoded message
   */
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
