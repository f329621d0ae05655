package org.drift4j.examples.bench;

import java.util.SplittableRandom;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;

/**
 * Shifted versions of clean images for the power self-tests: noise, geometric changes, stroke
 * thickening, occlusion and brightness.
 */
public final class Shifts {

  private Shifts() {}

  /** Gaussian noise of {@code factor}, clipped. */
  public static ImageBatch noise(ImageBatch images, double factor, long seed) {
    return noise(images, factor, new SplittableRandom(seed));
  }

  /**
   * {@code x + factor · N(0, 1)} for every pixel, clipped to [0, 1]: the reference experiment's
   * noisy images (factor 0.5).
   *
   * @param random the noise source (advanced by this call)
   * @throws IllegalArgumentException if {@code factor} is negative or not finite
   */
  public static ImageBatch noise(ImageBatch images, double factor, SplittableRandom random) {
    if (!(factor >= 0 && factor < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("factor must be a finite value of at least 0, but was " + factor);
    }
    float[] noisy = images.toFlatArray();
    for (int k = 0; k < noisy.length; k++) {
      double u = 1.0 - random.nextDouble();
      double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
      noisy[k] = (float) Math.min(1.0, Math.max(0.0, noisy[k] + factor * g));
    }
    return ImageBatch.ofFlat(images.shape(), noisy);
  }

  /** Rotation by {@code degrees} about the centre (bilinear, zero outside). */
  public static ImageBatch rotate(ImageBatch images, double degrees) {
    double a = Math.toRadians(degrees);
    return affine(images, Math.cos(a), -Math.sin(a), Math.sin(a), Math.cos(a), 0, 0);
  }

  /** Translation by ({@code dx}, {@code dy}) pixels. */
  public static ImageBatch translate(ImageBatch images, double dx, double dy) {
    return affine(images, 1, 0, 0, 1, dx, dy);
  }

  /** Zoom by {@code factor} about the centre (above 1 enlarges). */
  public static ImageBatch zoom(ImageBatch images, double factor) {
    return affine(images, factor, 0, 0, factor, 0, 0);
  }

  /**
   * Grey-level dilation with a {@code k} × {@code k} square (a max filter), channel by channel:
   * strokes grow thicker, as if written with a broader pen. The window of an even {@code k} reaches
   * one pixel further right and down than left and up; pixels outside the image count as 0.
   *
   * @throws IllegalArgumentException if {@code k} is below 1
   */
  public static ImageBatch dilate(ImageBatch images, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1 pixel, but was " + k);
    }
    ImageShape s = images.shape();
    int h = s.height();
    int w = s.width();
    int lo = -(k - 1) / 2;
    int hi = k / 2;
    float[] src = images.toFlatArray();
    float[] dst = new float[src.length];
    for (int base = 0; base < src.length; base += h * w) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = 0f;
          for (int dy = lo; dy <= hi; dy++) {
            for (int dx = lo; dx <= hi; dx++) {
              v = Math.max(v, at(src, base, w, h, x + dx, y + dy));
            }
          }
          dst[base + y * w + x] = v;
        }
      }
    }
    return ImageBatch.ofFlat(s, dst);
  }

  /**
   * A blanked (zero) square of side {@code side} in every image, at a seeded random position
   * inside the central region that leaves a seventh of the image on each side (for 28 × 28: a
   * 10 × 10 box within the central 20 × 20), on every channel.
   *
   * @throws IllegalArgumentException if {@code side} is below 1 or larger than that region
   */
  public static ImageBatch occlude(ImageBatch images, int side, long seed) {
    ImageShape s = images.shape();
    int h = s.height();
    int w = s.width();
    int my = h / 7;
    int mx = w / 7;
    if (side < 1 || side > h - 2 * my || side > w - 2 * mx) {
      throw new IllegalArgumentException("side must be between 1 and " + Math.min(h - 2 * my, w - 2 * mx)
          + " pixels (the central region of a " + h + " x " + w + " image), but was " + side);
    }
    float[] p = images.toFlatArray();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < images.size(); i++) {
      int y0 = my + random.nextInt(h - 2 * my - side + 1);
      int x0 = mx + random.nextInt(w - 2 * mx - side + 1);
      for (int ch = 0; ch < s.channels(); ch++) {
        int base = i * s.size() + ch * h * w;
        for (int y = y0; y < y0 + side; y++) {
          java.util.Arrays.fill(p, base + y * w + x0, base + y * w + x0 + side, 0f);
        }
      }
    }
    return ImageBatch.ofFlat(s, p);
  }

  /**
   * Every pixel times {@code factor}, clipped to [0, 1]: dimming below 1, brightening above.
   *
   * @throws IllegalArgumentException if {@code factor} is negative or not finite
   */
  public static ImageBatch brightness(ImageBatch images, double factor) {
    if (!(factor >= 0 && factor < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("factor must be a finite value of at least 0, but was " + factor);
    }
    float[] p = images.toFlatArray();
    for (int k = 0; k < p.length; k++) {
      p[k] = (float) Math.min(1.0, p[k] * factor);
    }
    return ImageBatch.ofFlat(images.shape(), p);
  }

  /**
   * Output pixel p = A (q - c) + c + t for source pixel q; sampled by inverting the map.
   */
  private static ImageBatch affine(ImageBatch images, double a, double b, double c, double d, double tx, double ty) {
    ImageShape s = images.shape();
    int h = s.height();
    int w = s.width();
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    double det = a * d - b * c;
    double ia = d / det;
    double ib = -b / det;
    double ic = -c / det;
    double id = a / det;
    float[] src = images.toFlatArray();
    float[] dst = new float[src.length];
    for (int i = 0; i < images.size(); i++) {
      for (int ch = 0; ch < s.channels(); ch++) {
        int base = i * s.size() + ch * h * w;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            double ux = x - cx - tx;
            double uy = y - cy - ty;
            double sx = ia * ux + ib * uy + cx;
            double sy = ic * ux + id * uy + cy;
            dst[base + y * w + x] = bilinear(src, base, w, h, sx, sy);
          }
        }
      }
    }
    return ImageBatch.ofFlat(s, dst);
  }

  private static float bilinear(float[] src, int base, int w, int h, double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double v = (1 - fx) * (1 - fy) * at(src, base, w, h, x0, y0) + fx * (1 - fy) * at(src, base, w, h, x0 + 1, y0)
        + (1 - fx) * fy * at(src, base, w, h, x0, y0 + 1) + fx * fy * at(src, base, w, h, x0 + 1, y0 + 1);
    return (float) Math.min(1.0, Math.max(0.0, v));
  }

  private static float at(float[] src, int base, int w, int h, int x, int y) {
    return x < 0 || y < 0 || x >= w || y >= h ? 0f : src[base + y * w + x];
  }
}
