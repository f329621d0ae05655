package org.drift4j.examples.experiment;

import org.drift4j.ImageBatch;

/**
 * Images with one fixed box blanked (set to 0) in every image: a dead region of the camera, or a
 * sticker on the lens. Stateless.
 */
final class Occlusion {

  /** The experiment's box on 28×28 digits: rows and columns 4 to 13, the top-left of the digit. */
  static final int TOP = 4;
  static final int LEFT = 4;
  static final int SIZE = 10;

  private Occlusion() {}

  /** {@code images} with rows [top, top + height) and columns [left, left + width) blanked in every channel. */
  static ImageBatch blank(ImageBatch images, int top, int left, int height, int width) {
    int h = images.shape().height();
    int w = images.shape().width();
    if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > h || left + width > w) {
      throw new IllegalArgumentException("the box must lie within the " + w + "x" + h + " image, but was rows " + top
          + "+" + height + ", columns " + left + "+" + width);
    }
    float[] pixels = images.toFlatArray();
    int n = images.shape().size();
    for (int i = 0; i < images.size(); i++) {
      for (int c = 0; c < images.shape().channels(); c++) {
        for (int y = top; y < top + height; y++) {
          for (int x = left; x < left + width; x++) {
            pixels[i * n + (c * h + y) * w + x] = 0;
          }
        }
      }
    }
    return ImageBatch.ofFlat(images.shape(), pixels);
  }

  /** The experiment's box blanked. */
  static ImageBatch digits(ImageBatch images) {
    return blank(images, TOP, LEFT, SIZE, SIZE);
  }
}
