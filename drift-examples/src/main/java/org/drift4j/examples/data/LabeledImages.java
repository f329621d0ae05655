package org.drift4j.examples.data;

import java.util.Objects;
import org.drift4j.ImageBatch;

/**
 * Images with optional labels and a note of where they came from.
 *
 * @param images the images
 * @param labels one label per image, or null
 * @param source human-readable origin, printed by the tools
 */
public record LabeledImages(ImageBatch images, int[] labels, String source) {

  /** Checks that labels, when present, match the image count. */
  public LabeledImages {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(source, "source");
    if (labels != null && labels.length != images.size()) {
      throw new IllegalArgumentException("labels must number " + images.size() + " (one per image), but numbered "
          + labels.length);
    }
  }

  /** Number of images. */
  public int size() {
    return images.size();
  }
}
