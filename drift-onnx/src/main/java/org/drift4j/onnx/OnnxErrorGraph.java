package org.drift4j.onnx;

import static org.drift4j.onnx.proto.OnnxProto.floatTensor;
import static org.drift4j.onnx.proto.OnnxProto.floatValue;
import static org.drift4j.onnx.proto.OnnxProto.longTensor;
import static org.drift4j.onnx.proto.OnnxProto.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.onnx.proto.Protobuf;

/**
 * An error head for an ONNX autoencoder: nodes that turn the model's input (the target) and output
 * (the reconstruction) into per-image errors, appended to the model so that ONNX Runtime computes
 * them in the same run, on the same threads, without copying reconstructions out.
 *
 * <p>Appending works on the serialized model: protocol buffers merge a repeated message field
 * that occurs twice, so the model's bytes followed by a {@code ModelProto} holding only a
 * {@code graph} with more nodes, initializers and outputs parse as the model with those added.
 * All added names start with {@value #PREFIX}.
 *
 * <p>Outputs: {@link #ERROR} [N, 1], the measure as {@link ReconstructionError} defines it, in
 * float; {@link #SUM} [N, 1], the plain sum of the reconstruction, non-finite exactly when a
 * reconstruction value is (clipping would hide an infinity).
 */
final class OnnxErrorGraph {

  static final String PREFIX = "drift4j_error_";
  static final String ERROR = PREFIX + "value";
  static final String SUM = PREFIX + "sum";

  /** How the binary cross-entropy clips: one Clip node (opset 11+) or Max then Min (opset 8+). */
  enum Clipping { CLIP, MAX_MIN }

  private OnnxErrorGraph() {}

  /** The bytes to append to the model whose input is {@code input} and output {@code output}. */
  static byte[] head(ReconstructionError measure, ImageShape shape, String input, String output, Clipping clipping) {
    int d = shape.size();
    Protobuf g = new Protobuf();
    List<Protobuf> init = new ArrayList<>();
    init.add(longTensor(n("flat"), new long[] {2}, 0, -1));
    init.add(floatTensor(n("ones"), new long[] {d, 1}, filled(d, 1f)));
    g.message(1, node("Reshape", n("o_flat"), List.of(output, n("flat")), n("o")));
    g.message(1, node("MatMul", n("sum"), List.of(n("o"), n("ones")), SUM));
    switch (measure) {
      case BINARY_CROSS_ENTROPY -> {
        // -(t ln c + (1 - t) ln c1), c = clip(o), c1 = clip(1 - o): ReconstructionError clips in
        // double, where 1 - (1 - 1e-7) is 1e-7; in float it would be 1.19e-7, so 1 - o is clipped
        init.add(floatTensor(n("lo"), new long[0], (float) ReconstructionError.EPSILON));
        init.add(floatTensor(n("hi"), new long[0], (float) (1 - ReconstructionError.EPSILON)));
        init.add(floatTensor(n("one"), new long[0], 1f));
        init.add(floatTensor(n("minus_mean"), new long[] {d, 1}, filled(d, -1f / d)));
        g.message(1, node("Sub", n("one_minus_o"), List.of(n("one"), output), n("u")));
        clip(g, clipping, output, n("c"));
        clip(g, clipping, n("u"), n("c1"));
        g.message(1, node("Log", n("log_c"), List.of(n("c")), n("ln_c")));
        g.message(1, node("Log", n("log_c1"), List.of(n("c1")), n("ln_c1")));
        // t ln c + (1 - t) ln c1 = ln c1 + t (ln c - ln c1)
        g.message(1, node("Sub", n("log_ratio"), List.of(n("ln_c"), n("ln_c1")), n("r")));
        g.message(1, node("Mul", n("t_log_ratio"), List.of(input, n("r")), n("tr")));
        g.message(1, node("Add", n("loss"), List.of(n("tr"), n("ln_c1")), n("l")));
        g.message(1, node("Reshape", n("l_flat"), List.of(n("l"), n("flat")), n("l2")));
        g.message(1, node("MatMul", n("mean"), List.of(n("l2"), n("minus_mean")), ERROR));
      }
      case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR -> {
        init.add(floatTensor(n("mean"), new long[] {d, 1}, filled(d, 1f / d)));
        g.message(1, node("Sub", n("diff"), List.of(output, input), n("diff")));
        if (measure == ReconstructionError.MEAN_SQUARED_ERROR) {
          g.message(1, node("Mul", n("square"), List.of(n("diff"), n("diff")), n("l")));
        } else {
          g.message(1, node("Abs", n("abs"), List.of(n("diff")), n("l")));
        }
        g.message(1, node("Reshape", n("l_flat"), List.of(n("l"), n("flat")), n("l2")));
        g.message(1, node("MatMul", n("mean_op"), List.of(n("l2"), n("mean")), ERROR));
      }
      default -> throw new IllegalArgumentException("measure " + measure + " has no ONNX form");
    }
    for (Protobuf t : init) {
      g.message(5, t);
    }
    g.message(12, floatValue(ERROR, "N", 1L));
    g.message(12, floatValue(SUM, "N", 1L));
    return new Protobuf().message(7, g).toByteArray();
  }

  /** {@code to} = {@code from} clipped to [lo, hi]. */
  private static void clip(Protobuf g, Clipping clipping, String from, String to) {
    if (clipping == Clipping.CLIP) {
      g.message(1, node("Clip", to + "_clip", List.of(from, n("lo"), n("hi")), to));
    } else {
      g.message(1, node("Max", to + "_max", List.of(from, n("lo")), to + "_lo"));
      g.message(1, node("Min", to + "_min", List.of(to + "_lo", n("hi")), to));
    }
  }

  /** {@code model} with the head appended. */
  static byte[] appendTo(byte[] model, byte[] head) {
    byte[] merged = Arrays.copyOf(model, model.length + head.length);
    System.arraycopy(head, 0, merged, model.length, head.length);
    return merged;
  }

  private static String n(String name) {
    return PREFIX + name;
  }

  private static float[] filled(int n, float value) {
    float[] a = new float[n];
    Arrays.fill(a, value);
    return a;
  }
}
