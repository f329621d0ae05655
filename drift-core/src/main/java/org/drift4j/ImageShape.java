package org.drift4j;

/**
 * The shape of one image: channels × height × width, pixels stored channel-major (CHW).
 *
 * <p>Immutable and thread-safe.
 *
 * @param channels number of channels (1 for greyscale, 3 for RGB), at least 1
 * @param height image height in pixels, at least 1
 * @param width image width in pixels, at least 1
 */
public record ImageShape(int channels, int height, int width) {

  /**
   * Creates a shape.
   *
   * @param channels number of channels, at least 1
   * @param height height in pixels, at least 1
   * @param width width in pixels, at least 1
   * @throws IllegalArgumentException if a dimension is below 1 or the pixel count overflows an int
   */
  public ImageShape {
    requirePositive("channels", channels);
    requirePositive("height", height);
    requirePositive("width", width);
    long pixels = (long) channels * height * width;
    if (pixels > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "channels*height*width must fit in an int, but was " + pixels + " for " + describe(channels, height, width));
    }
  }

  /**
   * A single-channel (greyscale) shape.
   *
   * @param height height in pixels
   * @param width width in pixels
   * @return the shape
   * @throws IllegalArgumentException if a dimension is below 1
   */
  public static ImageShape grey(int height, int width) {
    return new ImageShape(1, height, width);
  }

  /** {@return the number of values per image: channels × height × width} */
  public int size() {
    return channels * height * width;
  }

  @Override
  public String toString() {
    return describe(channels, height, width);
  }

  private static String describe(int c, int h, int w) {
    return c + "x" + h + "x" + w;
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, but was " + value);
    }
  }
}
