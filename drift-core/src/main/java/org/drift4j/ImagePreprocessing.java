package org.drift4j;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How decoded images become a model's input: read as they are ({@link #none()}), or resized to
 * the model's height and width with a named interpolation ({@link #resize}). Colour conversion
 * is the same either way: to one channel as luminance {@code 0.299 R + 0.587 G + 0.114 B}, to
 * three by repeating grey (see {@link ImageBatch#ofImages}).
 *
 * <pre>{@code
 * ImagePreprocessing preprocessing = ImagePreprocessing.resize(ImagePreprocessing.Interpolation.BILINEAR);
 * ImageBatch batch = preprocessing.batch(autoencoder.inputShape(), List.of(photo));
 * }</pre>
 *
 * <p>A batch remembers how it was made ({@link ImageBatch#preprocessing()}), a baseline records
 * the preprocessing of its validation images, and a detector or monitor refuses a batch made
 * another way: errors of images resized differently are not comparable. Resize validation and
 * production images the same way, ideally as the model was trained.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessing {

  /** How {@link #resize} interpolates, with the resampling of Pillow's {@code Image.resize}. */
  public enum Interpolation {
    /** The nearest source pixel (Pillow's NEAREST): no smoothing, aliases when shrinking. */
    NEAREST(Resampler.Filter.NEAREST),
    /**
     * Linear interpolation whose filter widens with the shrink factor (Pillow's BILINEAR, what
     * torchvision's {@code Resize} does on images): smooth, antialiased when shrinking.
     */
    BILINEAR(Resampler.Filter.TRIANGLE),
    /** The area average of the source pixels each output pixel covers (Pillow's BOX). */
    AREA(Resampler.Filter.BOX);

    private final Resampler.Filter filter;

    Interpolation(Resampler.Filter filter) {
      this.filter = filter;
    }
  }

  private static final ImagePreprocessing NONE = new ImagePreprocessing(null);

  private final Interpolation interpolation;

  private ImagePreprocessing(Interpolation interpolation) {
    this.interpolation = interpolation;
  }

  /**
   * Images read as they are: each must already have the model's height and width.
   *
   * @return the preprocessing {@code none}
   */
  public static ImagePreprocessing none() {
    return NONE;
  }

  /**
   * Images resized to the model's height and width, whatever their size.
   *
   * @param interpolation how to interpolate
   * @return the preprocessing {@code resize:<interpolation>}
   */
  public static ImagePreprocessing resize(Interpolation interpolation) {
    return new ImagePreprocessing(Objects.requireNonNull(interpolation, "interpolation"));
  }

  /**
   * The preprocessing an {@link #id()} names.
   *
   * @param id {@code none} or {@code resize:nearest|bilinear|area}
   * @return the preprocessing
   * @throws IllegalArgumentException if the id names none of them
   */
  public static ImagePreprocessing parse(String id) {
    Objects.requireNonNull(id, "id");
    if (id.equals("none")) {
      return NONE;
    }
    if (id.startsWith("resize:")) {
      for (Interpolation i : Interpolation.values()) {
        if (id.equals("resize:" + i.name().toLowerCase(Locale.ROOT))) {
          return resize(i);
        }
      }
    }
    throw new IllegalArgumentException("preprocessing must be none or resize:nearest, resize:bilinear or resize:area,"
        + " but was " + id);
  }

  /** {@return the stable name of this preprocessing, as baselines record it: {@code none} or {@code resize:bilinear} …} */
  public String id() {
    return interpolation == null ? "none" : "resize:" + interpolation.name().toLowerCase(Locale.ROOT);
  }

  /**
   * A batch of {@code shape} from decoded images.
   *
   * @param shape the model's input shape (1 or 3 channels)
   * @param images the images, of any size when resizing
   * @return the batch, which remembers this preprocessing
   * @throws IllegalArgumentException if the list is empty, the shape has other than 1 or 3
   *     channels, or (with {@link #none()}) an image's size differs from the shape
   */
  public ImageBatch batch(ImageShape shape, List<BufferedImage> images) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(images, "images");
    if (interpolation == null) {
      return ImageBatch.ofImages(shape, images);
    }
    ImageBatch.requireImageChannels(shape);
    float[] flat = new float[Math.multiplyExact(images.size(), shape.size())];
    for (int i = 0; i < images.size(); i++) {
      BufferedImage image = images.get(i);
      if (image == null) {
        throw new NullPointerException("images[" + i + "] is null");
      }
      if (image.getWidth() == shape.width() && image.getHeight() == shape.height()) {
        BufferedImages.copyTo(image, shape.channels(), flat, i * shape.size());
        continue;
      }
      ImageShape source = new ImageShape(shape.channels(), image.getHeight(), image.getWidth());
      float[] decoded = new float[source.size()];
      BufferedImages.copyTo(image, shape.channels(), decoded, 0);
      Resampler.resize(decoded, 0, shape.channels(), source.height(), source.width(), interpolation.filter, flat,
          i * shape.size(), shape.height(), shape.width());
    }
    return ImageBatch.ofFlat(shape, flat, this);
  }

  /**
   * A batch of one decoded image.
   *
   * @param shape the model's input shape (1 or 3 channels)
   * @param image the image
   * @return the batch of one image
   * @throws IllegalArgumentException as {@link #batch}
   */
  public ImageBatch image(ImageShape shape, BufferedImage image) {
    return batch(shape, List.of(Objects.requireNonNull(image, "image")));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePreprocessing p && p.interpolation == interpolation;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(interpolation);
  }

  @Override
  public String toString() {
    return id();
  }
}
