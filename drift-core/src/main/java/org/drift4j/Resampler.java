package org.drift4j;

/**
 * Separable resampling of float image planes, the algorithm of Pillow's {@code Image.resize}
 * ({@code libImaging/Resample.c}) computed in double: each output pixel is a normalised,
 * filter-weighted sum of the input pixels under its footprint, the filter widened by the scale
 * factor when shrinking, so downscaling averages (antialiases) instead of skipping pixels.
 * NEAREST takes the source pixel under each output pixel's centre, {@code floor((x + 0.5) · in /
 * out)}; where a centre falls exactly on a pixel border, Pillow's float rounding may pick the
 * other neighbour.
 * Stateless and thread-safe.
 */
final class Resampler {

  /** A resampling filter: its support (half-width, in input pixels at scale 1) and its shape. */
  enum Filter {
    /** The nearest input pixel. */
    NEAREST(0.5),
    /** Area average: Pillow's BOX. */
    BOX(0.5),
    /** Triangle (linear) filter: Pillow's BILINEAR. */
    TRIANGLE(1.0);

    final double support;

    Filter(double support) {
      this.support = support;
    }

    double weight(double x) {
      return switch (this) {
        case NEAREST, BOX -> x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
        case TRIANGLE -> Math.max(0.0, 1.0 - Math.abs(x));
      };
    }
  }

  private Resampler() {}

  /**
   * Resizes {@code planes} planes of {@code inH × inW} values (one after another, from
   * {@code inOffset}) to {@code outH × outW}, writing them one after another into {@code out} from
   * {@code outOffset}.
   */
  static void resize(float[] in, int inOffset, int planes, int inH, int inW, Filter filter, float[] out, int outOffset,
      int outH, int outW) {
    Weights horizontal = weights(inW, outW, filter);
    Weights vertical = weights(inH, outH, filter);
    double[] rows = new double[inH * outW];
    for (int c = 0; c < planes; c++) {
      int inBase = inOffset + c * inH * inW;
      for (int y = 0; y < inH; y++) {
        for (int x = 0; x < outW; x++) {
          double sum = 0;
          for (int k = 0; k < horizontal.count[x]; k++) {
            sum += horizontal.w[x][k] * in[inBase + y * inW + horizontal.first[x] + k];
          }
          rows[y * outW + x] = sum;
        }
      }
      int outBase = outOffset + c * outH * outW;
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) {
          double sum = 0;
          for (int k = 0; k < vertical.count[y]; k++) {
            sum += vertical.w[y][k] * rows[(vertical.first[y] + k) * outW + x];
          }
          out[outBase + y * outW + x] = (float) Math.min(1.0, Math.max(0.0, sum));
        }
      }
    }
  }

  /** For each output position: the first input position it reads and the normalised weights. */
  private static final class Weights {
    final int[] first;
    final int[] count;
    final double[][] w;

    Weights(int[] first, int[] count, double[][] w) {
      this.first = first;
      this.count = count;
      this.w = w;
    }
  }

  private static Weights weights(int in, int out, Filter filter) {
    double scale = (double) in / out;
    int[] first = new int[out];
    int[] count = new int[out];
    double[][] w = new double[out][];
    if (filter == Filter.NEAREST) {
      for (int x = 0; x < out; x++) {
        first[x] = Math.min(in - 1, (int) ((x + 0.5) * scale));
        count[x] = 1;
        w[x] = new double[] {1.0};
      }
      return new Weights(first, count, w);
    }
    double widen = Math.max(scale, 1.0);
    double support = filter.support * widen;
    for (int x = 0; x < out; x++) {
      double center = (x + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), in);
      double[] weights = new double[max - min];
      double total = 0;
      for (int j = 0; j < weights.length; j++) {
        weights[j] = filter.weight((j + min - center + 0.5) / widen);
        total += weights[j];
      }
      for (int j = 0; j < weights.length; j++) {
        weights[j] = total == 0 ? 0 : weights[j] / total;
      }
      first[x] = min;
      count[x] = weights.length;
      w[x] = weights;
    }
    return new Weights(first, count, w);
  }
}
