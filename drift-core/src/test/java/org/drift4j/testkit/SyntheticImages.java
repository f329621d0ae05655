package org.drift4j.testkit;

import java.util.SplittableRandom;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;

/** Seeded synthetic images for tests: smooth blobs (the "training distribution") and drifted kinds. */
public final class SyntheticImages {

  private SyntheticImages() {}

  /** Gaussian blobs at random positions and widths: the clean distribution. */
  public static ImageBatch blobs(ImageShape shape, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int h = shape.height();
    int w = shape.width();
    float[] flat = new float[count * shape.size()];
    for (int i = 0; i < count; i++) {
      double cy = h * (0.3 + 0.4 * random.nextDouble());
      double cx = w * (0.3 + 0.4 * random.nextDouble());
      double s = Math.max(h, w) * (0.12 + 0.1 * random.nextDouble());
      for (int c = 0; c < shape.channels(); c++) {
        double amplitude = 0.7 + 0.3 * random.nextDouble();
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            double r2 = ((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (2 * s * s);
            flat[i * shape.size() + (c * h + y) * w + x] = (float) (amplitude * Math.exp(-r2));
          }
        }
      }
    }
    return ImageBatch.ofFlat(shape, flat);
  }

  /** Uniform noise: clearly foreign images. */
  public static ImageBatch noise(ImageShape shape, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] flat = new float[count * shape.size()];
    for (int k = 0; k < flat.length; k++) {
      flat[k] = (float) random.nextDouble();
    }
    return ImageBatch.ofFlat(shape, flat);
  }

  /** Adds Gaussian noise of {@code factor} standard deviations and clips to [0, 1]. */
  public static ImageBatch withGaussianNoise(ImageBatch images, double factor, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] noisy = images.toFlatArray();
    for (int k = 0; k < noisy.length; k++) {
      noisy[k] = (float) Math.min(1.0, Math.max(0.0, noisy[k] + factor * gaussian(random)));
    }
    return ImageBatch.ofFlat(images.shape(), noisy);
  }

  /** A standard normal variate (Box–Muller). */
  public static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
