package org.drift4j.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks, before ONNX Runtime sees a model, the node attributes it divides by without checking:
 * a Conv with a stride of 0 kills the JVM with SIGFPE while the session is created (found by
 * fuzzing). Reads the protobuf wire format of ModelProto, GraphProto, NodeProto and
 * AttributeProto, subgraphs included; bytes it cannot read are left for ONNX Runtime to refuse.
 * Stateless.
 */
final class OnnxGraphCheck {

  /** Integer attributes that must be positive wherever they appear. */
  private static final Set<String> POSITIVE = Set.of("strides", "dilations", "kernel_shape", "blocksize", "group");
  private static final int MAX_DEPTH = 64;

  private OnnxGraphCheck() {}

  /**
   * Refuses {@code model} if a node has a non-positive stride, dilation, kernel size, block size
   * or group count.
   *
   * @throws OnnxModelException naming the node, its operator, the attribute and its value
   */
  static void check(byte[] model) throws OnnxModelException {
    try {
      for (Field f : fields(model, 0, model.length)) {
        if (f.number == 7 && f.bytes) {
          graph(model, f, 0);
        }
      }
    } catch (Malformed e) {
      // not readable as protobuf: ONNX Runtime refuses it with its own message
    }
  }

  private static void graph(byte[] b, Field graph, int depth) throws OnnxModelException, Malformed {
    if (depth > MAX_DEPTH) {
      throw new OnnxModelException("model must nest subgraphs at most " + MAX_DEPTH + " deep, but nests them deeper");
    }
    for (Field f : fields(b, graph.start, graph.end)) {
      if (f.number == 1 && f.bytes) {
        node(b, f, depth);
      }
    }
  }

  private static void node(byte[] b, Field node, int depth) throws OnnxModelException, Malformed {
    String name = "";
    String op = "";
    List<Field> attributes = new ArrayList<>();
    for (Field f : fields(b, node.start, node.end)) {
      if (f.number == 3 && f.bytes) {
        name = f.string(b);
      } else if (f.number == 4 && f.bytes) {
        op = f.string(b);
      } else if (f.number == 5 && f.bytes) {
        attributes.add(f);
      }
    }
    for (Field attribute : attributes) {
      String attributeName = "";
      List<Long> ints = new ArrayList<>();
      for (Field f : fields(b, attribute.start, attribute.end)) {
        if (f.number == 1 && f.bytes) {
          attributeName = f.string(b);
        } else if ((f.number == 3 || f.number == 8) && !f.bytes) {
          ints.add(f.value);
        } else if (f.number == 8) {
          for (int at = f.start; at < f.end; ) {
            long[] read = varint(b, at, f.end);
            ints.add(read[0]);
            at = (int) read[1];
          }
        } else if ((f.number == 6 || f.number == 11) && f.bytes) {
          graph(b, f, depth + 1);
        }
      }
      if (POSITIVE.contains(attributeName) && ints.stream().anyMatch(v -> v <= 0)) {
        throw new OnnxModelException("node '" + name + "' (" + op + "): " + attributeName
            + " must be positive, but was " + ints);
      }
    }
  }

  /** One field of a message: a varint value, or the range of a length-delimited one. */
  private record Field(int number, boolean bytes, long value, int start, int end) {
    String string(byte[] b) {
      return new String(b, start, end - start, StandardCharsets.UTF_8);
    }
  }

  /** Thrown where the bytes are not the protobuf wire format. */
  private static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed() {
      super(null, null, false, false);
    }
  }

  private static List<Field> fields(byte[] b, int start, int end) throws Malformed {
    List<Field> fields = new ArrayList<>();
    int at = start;
    while (at < end) {
      long[] key = varint(b, at, end);
      at = (int) key[1];
      int number = (int) (key[0] >>> 3);
      switch ((int) (key[0] & 7)) {
        case 0 -> {
          long[] v = varint(b, at, end);
          fields.add(new Field(number, false, v[0], at, (int) v[1]));
          at = (int) v[1];
        }
        case 1 -> at = skip(at, 8, end);
        case 5 -> at = skip(at, 4, end);
        case 2 -> {
          long[] length = varint(b, at, end);
          int from = (int) length[1];
          int to = skip(from, length[0], end);
          fields.add(new Field(number, true, 0, from, to));
          at = to;
        }
        default -> throw new Malformed();
      }
    }
    return fields;
  }

  private static int skip(int at, long length, int end) throws Malformed {
    if (length < 0 || length > end - at) {
      throw new Malformed();
    }
    return at + (int) length;
  }

  /** {value, position after it}. */
  private static long[] varint(byte[] b, int at, int end) throws Malformed {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at >= end) {
        throw new Malformed();
      }
      int c = b[at++];
      value |= (long) (c & 0x7F) << shift;
      if ((c & 0x80) == 0) {
        return new long[] {value, at};
      }
    }
    throw new Malformed();
  }
}
