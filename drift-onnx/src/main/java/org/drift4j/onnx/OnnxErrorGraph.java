package org.drift4j.onnx;

import static org.drift4j.internal.OnnxProto.floatTensor;
import static org.drift4j.internal.OnnxProto.floatValue;
import static org.drift4j.internal.OnnxProto.longTensor;
import static org.drift4j.internal.OnnxProto.node;

import java.util.Arrays;
import java.util.List;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.internal.OnnxProto;
import org.drift4j.internal.Protobuf;

/**
 * The ONNX model that turns (target, reconstruction) batches into per-image errors, so that ONNX
 * Runtime computes them in vectorised native code next to the reconstruction instead of Java
 * copying every reconstruction out first. Inputs {@value #TARGET} and {@value #OUTPUT}, both
 * [N, C, H, W]; outputs {@value #ERROR} [N, 1] (the measure, as {@link ReconstructionError}
 * defines it, in float) and {@value #SUM} [N, 1] (the plain sum of the reconstruction, non-finite
 * exactly when a reconstruction value is, since clipping would hide a NaN).
 */
final class OnnxErrorGraph {

  static final String TARGET = "target";
  static final String OUTPUT = "output";
  static final String ERROR = "error";
  static final String SUM = "sum";
  private static final int OPSET = 13;

  private OnnxErrorGraph() {}

  static byte[] of(ReconstructionError measure, ImageShape shape) {
    int d = shape.size();
    Protobuf g = new Protobuf();
    g.string(2, "drift4j-" + measure.name().toLowerCase(java.util.Locale.ROOT));
    List<Protobuf> init = new java.util.ArrayList<>();
    init.add(longTensor("flat", new long[] {2}, 0, -1));
    init.add(floatTensor("ones", new long[] {d, 1}, filled(d, 1f)));
    g.message(1, node("Reshape", "o_flat", List.of(OUTPUT, "flat"), "o"));
    g.message(1, node("Reshape", "t_flat", List.of(TARGET, "flat"), "t"));
    g.message(1, node("MatMul", "sum", List.of("o", "ones"), SUM));
    switch (measure) {
      case BINARY_CROSS_ENTROPY -> {
        // -(t ln c + (1 - t) ln(1 - c)) with c the clipped reconstruction; each product is <= 0
        init.add(floatTensor("lo", new long[0], (float) ReconstructionError.EPSILON));
        init.add(floatTensor("hi", new long[0], (float) (1 - ReconstructionError.EPSILON)));
        init.add(floatTensor("one", new long[0], 1f));
        init.add(floatTensor("minus_mean", new long[] {d, 1}, filled(d, -1f / d)));
        g.message(1, node("Clip", "clip", List.of("o", "lo", "hi"), "c"));
        g.message(1, node("Log", "log_c", List.of("c"), "ln_c"));
        g.message(1, node("Sub", "one_minus_c", List.of("one", "c"), "c1"));
        g.message(1, node("Log", "log_c1", List.of("c1"), "ln_c1"));
        g.message(1, node("Sub", "one_minus_t", List.of("one", "t"), "t1"));
        g.message(1, node("Mul", "t_ln_c", List.of("t", "ln_c"), "a"));
        g.message(1, node("Mul", "t1_ln_c1", List.of("t1", "ln_c1"), "b"));
        g.message(1, node("Add", "loss", List.of("a", "b"), "l"));
        g.message(1, node("MatMul", "mean", List.of("l", "minus_mean"), ERROR));
      }
      case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR -> {
        init.add(floatTensor("mean", new long[] {d, 1}, filled(d, 1f / d)));
        g.message(1, node("Sub", "diff", List.of("o", "t"), "diff"));
        if (measure == ReconstructionError.MEAN_SQUARED_ERROR) {
          g.message(1, node("Mul", "square", List.of("diff", "diff"), "l"));
        } else {
          g.message(1, node("Abs", "abs", List.of("diff"), "l"));
        }
        g.message(1, node("MatMul", "mean", List.of("l", "mean"), ERROR));
      }
      default -> throw new IllegalArgumentException("measure " + measure + " has no ONNX form");
    }
    for (Protobuf t : init) {
      g.message(5, t);
    }
    Object[] dims = {"N", (long) shape.channels(), (long) shape.height(), (long) shape.width()};
    g.message(11, floatValue(TARGET, dims));
    g.message(11, floatValue(OUTPUT, dims));
    g.message(12, floatValue(ERROR, "N", 1L));
    g.message(12, floatValue(SUM, "N", 1L));
    return OnnxProto.model(g, OPSET, "0.1.0-SNAPSHOT").toByteArray();
  }

  private static float[] filled(int n, float value) {
    float[] a = new float[n];
    Arrays.fill(a, value);
    return a;
  }
}
