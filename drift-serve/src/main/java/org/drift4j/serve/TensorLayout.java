package org.drift4j.serve;

import java.util.Arrays;
import java.util.Locale;
import org.drift4j.ImageShape;

/**
 * How a tensor's dimensions map onto the model's images, and the reordering to channel-major.
 *
 * <p>Accepted, for a model of C channels, H rows and W columns: {@code [N, C, H, W]} (NCHW),
 * {@code [N, H, W, C]} (NHWC), and for one channel also {@code [N, H, W]} and {@code [N, H*W]}.
 * NCHW and NHWC are told apart by where the channel count stands; when both readings fit (C = H = W)
 * the tensor is ambiguous and refused unless the request names its layout.
 */
enum TensorLayout {
  /** Channels first: already the batch's order. */
  NCHW,
  /** Channels last, as TensorFlow and Keras send images. */
  NHWC,
  /** One channel, no channel axis: [N, H, W]. */
  NHW,
  /** One channel, each image flattened: [N, H*W]. */
  FLAT;

  /**
   * The layout of a tensor of {@code dims} for a model of {@code shape}.
   *
   * @param what how the error message names the tensor, e.g. "input 'images'"
   * @param hint the layout the request names ("NCHW" or "NHWC"), or null
   * @throws RequestException (422) if the dimensions fit none or, without a hint, both layouts
   */
  static TensorLayout of(String what, long[] dims, ImageShape shape, String hint) throws RequestException {
    TensorLayout named = null;
    if (hint != null) {
      String h = hint.toUpperCase(Locale.ROOT);
      if (!h.equals("NCHW") && !h.equals("NHWC")) {
        throw new RequestException(Reason.MALFORMED, "layout must be NCHW or NHWC, but was " + hint);
      }
      named = valueOf(h);
    }
    int c = shape.channels();
    int h = shape.height();
    int w = shape.width();
    boolean nchw = matches(dims, c, h, w);
    boolean nhwc = matches(dims, h, w, c);
    if (named != null) {
      if (named == NCHW ? nchw : nhwc) {
        return named;
      }
      if (c == 1 && matchesFlat(dims, shape)) {
        return dims.length == 3 ? NHW : FLAT;
      }
    } else if (nchw && nhwc && c > 1) {
      throw new RequestException(Reason.WRONG_SHAPE, what + " has shape " + Arrays.toString(dims) + ", which reads as"
          + " NCHW and as NHWC for images of " + shape + "; name the layout (\"parameters\": {\"layout\": \"NHWC\"})");
    } else if (nchw) {
      return NCHW;
    } else if (nhwc) {
      return NHWC;
    } else if (c == 1 && matchesFlat(dims, shape)) {
      return dims.length == 3 ? NHW : FLAT;
    }
    throw new RequestException(Reason.WRONG_SHAPE, what + " has shape " + Arrays.toString(dims) + ", but the model"
        + " takes images of " + shape + " (channels x height x width): expected " + expected(shape)
        + (named == null ? "" : " in layout " + named));
  }

  /** {@return the shapes accepted for {@code shape}, in words} */
  static String expected(ImageShape shape) {
    int c = shape.channels();
    int h = shape.height();
    int w = shape.width();
    String both = "[N, " + c + ", " + h + ", " + w + "] (NCHW) or [N, " + h + ", " + w + ", " + c + "] (NHWC)";
    return c == 1 ? both + ", [N, " + h + ", " + w + "] or [N, " + (h * w) + "]" : both;
  }

  private static boolean matches(long[] dims, int a, int b, int d) {
    return dims.length == 4 && dims[1] == a && dims[2] == b && dims[3] == d;
  }

  private static boolean matchesFlat(long[] dims, ImageShape shape) {
    return (dims.length == 3 && dims[1] == shape.height() && dims[2] == shape.width())
        || (dims.length == 2 && dims[1] == shape.size());
  }

  /**
   * Reorders {@code values} (images back to back in this layout) to channel-major order.
   *
   * @param values the tensor's values, row-major
   * @param images how many images they hold
   * @param shape the model's shape
   * @return the values in CHW order ({@code values} itself when no reordering is needed)
   */
  float[] toChw(float[] values, int images, ImageShape shape) {
    if (this != NHWC || shape.channels() == 1) {
      return values;
    }
    int c = shape.channels();
    int plane = shape.height() * shape.width();
    int n = shape.size();
    float[] out = new float[values.length];
    for (int i = 0; i < images; i++) {
      int base = i * n;
      for (int p = 0; p < plane; p++) {
        for (int k = 0; k < c; k++) {
          out[base + k * plane + p] = values[base + p * c + k];
        }
      }
    }
    return out;
  }
}
