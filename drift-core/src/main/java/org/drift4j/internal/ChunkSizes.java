package org.drift4j.internal;

import org.drift4j.ImageShape;

/**
 * How many images an engine feeds its model at once: as many as fit a memory budget, given what
 * one image costs (the network's activations for it and the copies of its pixels), up to a cap.
 * Stateless and thread-safe.
 */
public final class ChunkSizes {

  private ChunkSizes() {}

  /**
   * The images of a chunk: {@code budgetBytes / bytesPerImage}, at most {@code maxImages}.
   *
   * @param budgetBytes the memory a chunk may take, in bytes
   * @param bytesPerImage what one image takes, in bytes
   * @param maxImages the most images a chunk takes whatever the budget
   * @param budgetName how the caller's config names the budget, for the error message
   * @param shape the images' shape, for the error message
   * @return the chunk size, at least 1
   * @throws IllegalArgumentException if a value is not positive, or one image alone needs more
   *     than the budget (the message names the budget, its value, the shape and what it needs)
   */
  public static int images(long budgetBytes, long bytesPerImage, int maxImages, String budgetName, ImageShape shape) {
    if (budgetBytes < 1 || bytesPerImage < 1 || maxImages < 1) {
      throw new IllegalArgumentException("budgetBytes, bytesPerImage and maxImages must be at least 1, but were "
          + budgetBytes + ", " + bytesPerImage + " and " + maxImages);
    }
    if (bytesPerImage > budgetBytes) {
      throw new IllegalArgumentException("one image of " + shape + " needs " + bytesPerImage + " bytes of activations"
          + " and copies, more than " + budgetName + " " + budgetBytes + "; raise " + budgetName + " to at least "
          + bytesPerImage);
    }
    return (int) Math.min(maxImages, budgetBytes / bytesPerImage);
  }
}
