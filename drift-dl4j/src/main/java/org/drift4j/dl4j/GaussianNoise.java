package org.drift4j.dl4j;

import java.util.SplittableRandom;
import org.drift4j.ImageBatch;

/** The denoising trainer's input noise: {@code x + factor · N(0, 1)} per pixel, clipped to [0, 1]. */
final class GaussianNoise {

  private GaussianNoise() {}

  /** {@code images} with noise drawn from {@code random} (advanced by this call). */
  static ImageBatch add(ImageBatch images, double factor, SplittableRandom random) {
    float[] noisy = images.toFlatArray();
    for (int k = 0; k < noisy.length; k++) {
      double u = 1.0 - random.nextDouble();
      double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
      noisy[k] = (float) Math.min(1.0, Math.max(0.0, noisy[k] + factor * g));
    }
    return ImageBatch.ofFlat(images.shape(), noisy);
  }
}
