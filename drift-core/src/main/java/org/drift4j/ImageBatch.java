package org.drift4j;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * An immutable batch of N images of one {@link ImageShape}, with float pixels in [0, 1] (held as
 * floats, or as 8-bit values read as value / 255).
 *
 * <p>Pixels of image {@code i} are stored channel-major (CHW): the value at channel {@code c},
 * row {@code y}, column {@code x} is {@code pixel(i, (c * height + y) * width + x)}.
 *
 * <p>Every factory validates its input at once and copies it, so later changes to the caller's
 * arrays do not affect the batch; {@link #ofBytes(ImageShape, ByteBuffer)}, for batches larger
 * than the heap, reads the caller's buffer instead. Bad input fails with an {@link IllegalArgumentException} that
 * names the image index, what was expected and what was found.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageBatch {

  private final ImageShape shape;
  private final int size;
  private final Pixels pixels;
  private final ImagePreprocessing preprocessing;

  private ImageBatch(ImageShape shape, int size, float[] pixels) {
    this(shape, size, Pixels.of(pixels), ImagePreprocessing.none());
  }

  private ImageBatch(ImageShape shape, int size, float[] pixels, ImagePreprocessing preprocessing) {
    this(shape, size, Pixels.of(pixels), preprocessing);
  }

  private ImageBatch(ImageShape shape, int size, Pixels pixels, ImagePreprocessing preprocessing) {
    this.shape = shape;
    this.size = size;
    this.pixels = pixels;
    this.preprocessing = preprocessing;
  }

  /**
   * A batch from float pixels, one row per image, each row {@code shape.size()} values in CHW order.
   *
   * @param shape the images' shape
   * @param images one row per image, copied
   * @return the batch
   * @throws NullPointerException if {@code shape} or {@code images} or one of its rows is null
   * @throws IllegalArgumentException if the batch is empty, a row has the wrong length, or a value
   *     is NaN, infinite or outside [0, 1]
   */
  public static ImageBatch of(ImageShape shape, float[][] images) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(images, "images");
    requireNonEmpty(images.length);
    int n = shape.size();
    float[] flat = new float[Math.multiplyExact(images.length, n)];
    for (int i = 0; i < images.length; i++) {
      float[] row = images[i];
      if (row == null) {
        throw new NullPointerException("images[" + i + "] is null");
      }
      requireLength(i, n, row.length, shape);
      System.arraycopy(row, 0, flat, i * n, n);
    }
    validateRange(flat, n);
    return new ImageBatch(shape, images.length, flat);
  }

  /**
   * A batch from one flat array holding {@code count} images back to back, each in CHW order.
   * The array is copied.
   *
   * @param shape the images' shape
   * @param pixels the images one after another
   * @return the batch
   * @throws IllegalArgumentException if the array is empty, its length is not a multiple of
   *     {@code shape.size()}, or a value is NaN, infinite or outside [0, 1]
   */
  public static ImageBatch ofFlat(ImageShape shape, float[] pixels) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(pixels, "pixels");
    int n = shape.size();
    if (pixels.length % n != 0) {
      throw new IllegalArgumentException(
          "pixels.length must be a multiple of " + n + " (one " + shape + " image), but was " + pixels.length);
    }
    requireNonEmpty(pixels.length / n);
    float[] copy = pixels.clone();
    validateRange(copy, n);
    return new ImageBatch(shape, copy.length / n, copy);
  }

  /** A batch that {@code preprocessing} made from {@code pixels}, which it hands over (not copied). */
  static ImageBatch ofFlat(ImageShape shape, float[] pixels, ImagePreprocessing preprocessing) {
    int n = shape.size();
    requireNonEmpty(pixels.length / n);
    validateRange(pixels, n);
    return new ImageBatch(shape, pixels.length / n, pixels, preprocessing);
  }

  /**
   * A batch from unsigned 8-bit pixels (0–255, as Java bytes), one row per image in CHW order;
   * each value is divided by 255.
   *
   * @param shape the images' shape
   * @param images one row per image, copied
   * @return the batch
   * @throws IllegalArgumentException if the batch is empty or a row has the wrong length
   */
  public static ImageBatch ofBytes(ImageShape shape, byte[][] images) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(images, "images");
    requireNonEmpty(images.length);
    int n = shape.size();
    float[] flat = new float[Math.multiplyExact(images.length, n)];
    for (int i = 0; i < images.length; i++) {
      byte[] row = images[i];
      if (row == null) {
        throw new NullPointerException("images[" + i + "] is null");
      }
      requireLength(i, n, row.length, shape);
      for (int p = 0; p < n; p++) {
        flat[i * n + p] = (row[p] & 0xFF) / 255f;
      }
    }
    return new ImageBatch(shape, images.length, flat);
  }

  /**
   * A batch over unsigned 8-bit pixels (0–255) held in a buffer, images back to back in CHW
   * order: the buffer's remaining bytes, from its position, read as value / 255 and not copied.
   * For batches larger than the heap: a direct buffer, or a file of raw pixels mapped with
   * {@code FileChannel.map}, takes one byte per value outside the heap, where a float batch takes
   * four on it (10,000 images of 3×128×128: 492 MB mapped instead of 1.97 GB of heap). Slices of
   * it are views of the same buffer; engines copy one chunk at a time into their own arrays.
   *
   * <p>The exception to this class's copying rule: the batch reads the caller's buffer, so a
   * change to its content shows in the batch. Do not change it while the batch is in use.
   *
   * @param shape the images' shape
   * @param pixels the images' bytes; its position and limit are not moved
   * @return the batch
   * @throws IllegalArgumentException if the buffer holds no image or a number of bytes that is
   *     not a multiple of {@code shape.size()}
   */
  public static ImageBatch ofBytes(ImageShape shape, ByteBuffer pixels) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(pixels, "pixels");
    int n = shape.size();
    if (pixels.remaining() % n != 0) {
      throw new IllegalArgumentException("pixels must hold a multiple of " + n + " bytes (one " + shape
          + " image), but held " + pixels.remaining());
    }
    requireNonEmpty(pixels.remaining() / n);
    return new ImageBatch(shape, pixels.remaining() / n, Pixels.of(pixels), ImagePreprocessing.none());
  }

  /**
   * A batch from images. With one channel, colour images are converted to luminance
   * (0.299 R + 0.587 G + 0.114 B); with three channels, the R, G and B planes are used and grey
   * images are repeated in all three. The images must already have the shape's size; to resize
   * them, use {@link ImagePreprocessing#resize}.
   *
   * <p>Samples are read at their real bit depth ({@code sample / (2^bits - 1)}: 8- and 16-bit
   * grey, grey with alpha, RGB and RGBA), indexed images through their palette, all without gamma
   * conversion; alpha composites on black (value × alpha), so a transparent pixel reads 0. Other
   * colour spaces (CMYK …) are converted to sRGB first.
   *
   * @param shape the shape to read the images as
   * @param images the images, each of the shape's width and height
   * @return the batch, with preprocessing {@link ImagePreprocessing#none()}
   * @throws IllegalArgumentException if the list is empty, an image's size differs from the
   *     shape, or the shape has other than 1 or 3 channels
   */
  public static ImageBatch ofImages(ImageShape shape, List<BufferedImage> images) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(images, "images");
    requireNonEmpty(images.size());
    requireImageChannels(shape);
    int n = shape.size();
    float[] flat = new float[Math.multiplyExact(images.size(), n)];
    for (int i = 0; i < images.size(); i++) {
      BufferedImage image = images.get(i);
      if (image == null) {
        throw new NullPointerException("images[" + i + "] is null");
      }
      if (image.getWidth() != shape.width() || image.getHeight() != shape.height()) {
        throw new IllegalArgumentException("image " + i + " must be " + shape.width() + "x" + shape.height()
            + " (width x height), but was " + image.getWidth() + "x" + image.getHeight()
            + "; resize it, e.g. with ImagePreprocessing.resize(BILINEAR)");
      }
      BufferedImages.copyTo(image, shape.channels(), flat, i * n);
    }
    return new ImageBatch(shape, images.size(), flat);
  }

  /**
   * A batch of one image; see {@link #ofImages}.
   *
   * @param shape the shape to read the image as
   * @param image the image, of the shape's width and height
   * @return the batch of one image
   * @throws IllegalArgumentException as {@link #ofImages}
   */
  public static ImageBatch ofImage(ImageShape shape, BufferedImage image) {
    return ofImages(shape, List.of(Objects.requireNonNull(image, "image")));
  }

  /** Throws unless BufferedImages can be read as {@code shape} (1 or 3 channels). */
  static void requireImageChannels(ImageShape shape) {
    if (shape.channels() != 1 && shape.channels() != 3) {
      throw new IllegalArgumentException(
          "shape.channels must be 1 or 3 to read BufferedImages, but was " + shape.channels());
    }
  }

  /**
   * {@return how the images were made from decoded images: {@link ImagePreprocessing#none()}
   * unless an {@link ImagePreprocessing} made the batch}
   */
  public ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  /** {@return the shape of every image in the batch} */
  public ImageShape shape() {
    return shape;
  }

  /** {@return the number of images, at least 1} */
  public int size() {
    return size;
  }

  /**
   * One pixel value.
   *
   * @param image the image's index in the batch
   * @param index the flat CHW index within the image
   * @return the value, in [0, 1]
   * @throws IndexOutOfBoundsException if either index is out of range
   */
  public float pixel(int image, int index) {
    Objects.checkIndex(image, size);
    Objects.checkIndex(index, shape.size());
    return pixels.get(image * shape.size() + index);
  }

  /**
   * One image's pixels.
   *
   * @param image the image's index in the batch
   * @return a copy of its pixels in CHW order
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public float[] image(int image) {
    Objects.checkIndex(image, size);
    int n = shape.size();
    float[] out = new float[n];
    pixels.copyTo(image * n, n, out, 0);
    return out;
  }

  /**
   * {@return a copy of all pixels as floats, images back to back in CHW order (N × C × H × W);
   * for a large batch over bytes, copy slices instead}
   */
  public float[] toFlatArray() {
    float[] all = new float[pixels.length()];
    pixels.copyTo(0, all.length, all, 0);
    return all;
  }

  /**
   * Copies images {@code [from, to)} into {@code target} at {@code targetOffset}, without
   * allocating: the fast path for backends filling their own buffers.
   *
   * @param from the first image
   * @param to one past the last image
   * @param target where the pixels go
   * @param targetOffset where in {@code target} the first pixel goes
   * @throws IndexOutOfBoundsException if the range is outside the batch or the target too short
   */
  public void copyTo(int from, int to, float[] target, int targetOffset) {
    Objects.checkFromToIndex(from, to, size);
    int n = shape.size();
    pixels.copyTo(from * n, (to - from) * n, target, targetOffset);
  }

  /**
   * The images {@code [from, to)} as a new batch.
   *
   * @param from the first image
   * @param to one past the last image
   * @return the slice (this batch itself when the range is all of it; a view of the same buffer
   *     for a batch over bytes)
   * @throws IndexOutOfBoundsException if the range is outside the batch
   * @throws IllegalArgumentException if the range is empty
   */
  public ImageBatch slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size);
    requireNonEmpty(to - from);
    if (from == 0 && to == size) {
      return this;
    }
    int n = shape.size();
    return new ImageBatch(shape, to - from, pixels.range(from * n, (to - from) * n), preprocessing);
  }

  /**
   * A batch of the selected images, in the order given (an image may be selected twice).
   *
   * @param indices the images' indices
   * @return the new batch
   * @throws IllegalArgumentException if {@code indices} is empty
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public ImageBatch select(int[] indices) {
    Objects.requireNonNull(indices, "indices");
    requireNonEmpty(indices.length);
    int n = shape.size();
    int[] starts = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      starts[i] = Objects.checkIndex(indices[i], size) * n;
    }
    return new ImageBatch(shape, indices.length, pixels.gather(starts, n), preprocessing);
  }

  /**
   * Concatenates batches of one shape and preprocessing.
   *
   * @param batches the batches, in order
   * @return one batch holding all their images
   * @throws IllegalArgumentException if the list is empty, or the shapes or preprocessings differ
   */
  public static ImageBatch concat(List<ImageBatch> batches) {
    Objects.requireNonNull(batches, "batches");
    requireNonEmpty(batches.size());
    ImageShape shape = batches.get(0).shape;
    long total = 0;
    for (int i = 0; i < batches.size(); i++) {
      ImageBatch b = batches.get(i);
      if (!b.shape.equals(shape)) {
        throw new IllegalArgumentException(
            "batches[" + i + "] must have shape " + shape + ", but had " + b.shape);
      }
      if (!b.preprocessing.equals(batches.get(0).preprocessing)) {
        throw new IllegalArgumentException("batches[" + i + "] must have preprocessing "
            + batches.get(0).preprocessing + ", but had " + b.preprocessing);
      }
      total += b.pixels.length();
    }
    float[] flat = new float[Math.toIntExact(total)];
    int offset = 0;
    for (ImageBatch b : batches) {
      b.pixels.copyTo(0, b.pixels.length(), flat, offset);
      offset += b.pixels.length();
    }
    return new ImageBatch(shape, flat.length / shape.size(), flat, batches.get(0).preprocessing);
  }

  @Override
  public String toString() {
    return "ImageBatch[" + size + " x " + shape + (preprocessing.equals(ImagePreprocessing.none()) ? ""
        : ", " + preprocessing) + "]";
  }

  private static void requireNonEmpty(int count) {
    if (count == 0) {
      throw new IllegalArgumentException("batch must hold at least 1 image, but was empty");
    }
  }

  private static void requireLength(int image, int expected, int found, ImageShape shape) {
    if (found != expected) {
      throw new IllegalArgumentException("image " + image + " must have " + expected + " values (shape "
          + shape + "), but had " + found);
    }
  }

  private static void validateRange(float[] flat, int perImage) {
    for (int k = 0; k < flat.length; k++) {
      float v = flat[k];
      if (!(v >= 0f && v <= 1f)) {
        throw new IllegalArgumentException("image " + (k / perImage) + " pixel " + (k % perImage)
            + " must be a finite value in [0, 1], but was " + v);
      }
    }
  }
}
