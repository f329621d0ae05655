package org.drift4j.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Builders for the parts of the ONNX protobuf schema (onnx.proto3) that Drift4j writes: nodes,
 * attributes, float tensors, value infos and the model. Field numbers are the schema's. Not part
 * of the API; stateless.
 */
public final class OnnxProto {

  /** IR version written (ONNX 1.7+). */
  public static final int IR_VERSION = 7;
  /** TensorProto.DataType FLOAT. */
  public static final int FLOAT = 1;

  private static final int ATTR_INT = 2;
  private static final int ATTR_STRING = 3;
  private static final int ATTR_INTS = 7;

  private OnnxProto() {}

  /** A NodeProto; an empty input name means an omitted optional input. */
  public static Protobuf node(String op, String name, List<String> inputs, String output, Protobuf... attributes) {
    Protobuf n = new Protobuf();
    for (String in : inputs) {
      n.string(1, in);
    }
    n.string(2, output);
    n.string(3, name);
    n.string(4, op);
    for (Protobuf a : attributes) {
      n.message(5, a);
    }
    return n;
  }

  /** An INTS attribute. */
  public static Protobuf ints(String name, long... values) {
    return new Protobuf().string(1, name).packedInt64(8, values).int64(20, ATTR_INTS);
  }

  /** An INT attribute. */
  public static Protobuf integer(String name, long value) {
    return new Protobuf().string(1, name).int64(3, value).int64(20, ATTR_INT);
  }

  /** A STRING attribute. */
  public static Protobuf string(String name, String value) {
    return new Protobuf().string(1, name).string(4, value).int64(20, ATTR_STRING);
  }

  /** A float TensorProto (raw little-endian data). */
  public static Protobuf floatTensor(String name, long[] dims, float... data) {
    ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : data) {
      raw.putFloat(f);
    }
    return new Protobuf().packedInt64(1, dims).int64(2, FLOAT).string(8, name).bytes(9, raw.array());
  }

  /** An int64 TensorProto. */
  public static Protobuf longTensor(String name, long[] dims, long... data) {
    return new Protobuf().packedInt64(1, dims).int64(2, 7).packedInt64(7, data).string(8, name);
  }

  /**
   * A float ValueInfoProto; each dimension is a {@link Long} (fixed) or a {@link String}
   * (symbolic, e.g. the batch dimension).
   */
  public static Protobuf floatValue(String name, Object... dims) {
    Protobuf shape = new Protobuf();
    for (Object d : dims) {
      shape.message(1, d instanceof String s ? new Protobuf().string(2, s) : new Protobuf().int64(1, ((Number) d).longValue()));
    }
    Protobuf tensorType = new Protobuf().int64(1, FLOAT).message(2, shape);
    return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
  }

  /** A ModelProto around {@code graph}, importing the default domain at {@code opset}. */
  public static Protobuf model(Protobuf graph, int opset, String producerVersion, String... metadataKeyValues) {
    Protobuf model = new Protobuf();
    model.int64(1, IR_VERSION);
    model.string(2, "drift4j");
    model.string(3, producerVersion);
    model.message(7, graph);
    model.message(8, new Protobuf().string(1, "").int64(2, opset));
    for (int i = 0; i + 1 < metadataKeyValues.length; i += 2) {
      model.message(14, new Protobuf().string(1, metadataKeyValues[i]).string(2, metadataKeyValues[i + 1]));
    }
    return model;
  }
}
