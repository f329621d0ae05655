package org.drift4j.onnx.proto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Builders for the parts of the ONNX protobuf schema (onnx.proto3) that Drift4j writes: nodes,
 * attributes, float and int64 tensors, value infos and the model. Field numbers are the
 * schema's.
 *
 * <pre>{@code
 * Protobuf graph = new Protobuf()
 *     .message(1, OnnxProto.node("Relu", "relu0", List.of("x"), "y"))
 *     .string(2, "graph")
 *     .message(11, OnnxProto.floatValue("x", "N", 1L, 28L, 28L))
 *     .message(12, OnnxProto.floatValue("y", "N", 1L, 28L, 28L));
 * byte[] model = OnnxProto.model(graph, 13, "1.0").toByteArray();
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class OnnxProto {

  /** IR version written (ONNX 1.7+). */
  public static final int IR_VERSION = 7;
  /** TensorProto.DataType FLOAT. */
  public static final int FLOAT = 1;
  /** TensorProto.DataType INT64. */
  public static final int INT64 = 7;
  /**
   * Metadata key of Drift4j's exports: the activation values one image takes in the model (its
   * input and every layer's output), so that an engine sizes its chunks to a memory budget.
   */
  public static final String ACTIVATION_VALUES_PER_IMAGE = "drift4j.activationValuesPerImage";

  private static final int ATTR_INT = 2;
  private static final int ATTR_STRING = 3;
  private static final int ATTR_INTS = 7;

  private OnnxProto() {}

  /**
   * A NodeProto.
   *
   * @param op the operator type, e.g. {@code Conv}
   * @param name the node's name
   * @param inputs input names; an empty name is an omitted optional input
   * @param output the output name
   * @param attributes the node's attributes, from {@link #ints}, {@link #integer} or {@link #string}
   * @return the node
   */
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

  /**
   * An INTS attribute.
   *
   * @param name the attribute's name
   * @param values its values
   * @return the attribute
   */
  public static Protobuf ints(String name, long... values) {
    return new Protobuf().string(1, name).packedInt64(8, values).int64(20, ATTR_INTS);
  }

  /**
   * An INT attribute.
   *
   * @param name the attribute's name
   * @param value its value
   * @return the attribute
   */
  public static Protobuf integer(String name, long value) {
    return new Protobuf().string(1, name).int64(3, value).int64(20, ATTR_INT);
  }

  /**
   * A STRING attribute.
   *
   * @param name the attribute's name
   * @param value its value
   * @return the attribute
   */
  public static Protobuf string(String name, String value) {
    return new Protobuf().string(1, name).string(4, value).int64(20, ATTR_STRING);
  }

  /**
   * A float TensorProto, its data stored raw (little-endian).
   *
   * @param name the tensor's name
   * @param dims its dimensions
   * @param data its values, in row-major order
   * @return the tensor
   */
  public static Protobuf floatTensor(String name, long[] dims, float... data) {
    ByteBuffer raw = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : data) {
      raw.putFloat(f);
    }
    return new Protobuf().packedInt64(1, dims).int64(2, FLOAT).string(8, name).bytes(9, raw.array());
  }

  /**
   * An int64 TensorProto.
   *
   * @param name the tensor's name
   * @param dims its dimensions
   * @param data its values, in row-major order
   * @return the tensor
   */
  public static Protobuf longTensor(String name, long[] dims, long... data) {
    return new Protobuf().packedInt64(1, dims).int64(2, INT64).packedInt64(7, data).string(8, name);
  }

  /**
   * A float ValueInfoProto, for graph inputs and outputs.
   *
   * @param name the value's name
   * @param dims each dimension, a {@link Long} (fixed) or a {@link String} (symbolic, e.g. the
   *     batch dimension {@code "N"})
   * @return the value info
   */
  public static Protobuf floatValue(String name, Object... dims) {
    Protobuf shape = new Protobuf();
    for (Object d : dims) {
      shape.message(1, d instanceof String s ? new Protobuf().string(2, s) : new Protobuf().int64(1, ((Number) d).longValue()));
    }
    Protobuf tensorType = new Protobuf().int64(1, FLOAT).message(2, shape);
    return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
  }

  /**
   * A ModelProto around {@code graph}, importing the default operator set at {@code opset}.
   *
   * @param graph the GraphProto
   * @param opset the default domain's operator-set version
   * @param producerVersion the producer's version, recorded with producer name {@code drift4j}
   * @param metadataKeyValues metadata as key, value, key, value, ...
   * @return the model
   */
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
