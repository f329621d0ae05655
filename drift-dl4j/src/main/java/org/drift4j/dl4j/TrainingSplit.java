package org.drift4j.dl4j;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.drift4j.ImageBatch;

/**
 * The seeded split of a trainer's images into training and validation images.
 *
 * @param training the images the network learns from
 * @param validation the held-out images, or null without a validation split
 */
record TrainingSplit(ImageBatch training, ImageBatch validation) {

  /**
   * Splits {@code images}: a seeded permutation, its first {@code round(fraction · n)} images for
   * validation.
   *
   * @throws IllegalArgumentException if the split leaves no training image, or no validation
   *     image although a fraction above 0 was asked for
   */
  static TrainingSplit of(ImageBatch images, double fraction, long seed) {
    int[] order = permutation(images.size(), new SplittableRandom(seed));
    int validationCount = (int) Math.round(fraction * images.size());
    if (fraction > 0 && validationCount == 0) {
      throw new IllegalArgumentException("validationFraction " + fraction + " of " + images.size()
          + " images leaves no validation image; use more images or a larger validationFraction");
    }
    if (validationCount >= images.size()) {
      throw new IllegalArgumentException("validationFraction " + fraction + " of " + images.size()
          + " images leaves no training image; use more images or a smaller validationFraction");
    }
    ImageBatch validation = validationCount > 0 ? images.select(Arrays.copyOfRange(order, 0, validationCount)) : null;
    ImageBatch training = images.select(Arrays.copyOfRange(order, validationCount, order.length));
    return new TrainingSplit(training, validation);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
