package org.drift4j.serve;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.drift4j.ImageBatch;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ImageShape;

/**
 * Encoded images (PNG, JPEG, or any format ImageIO reads) to a batch of the model's shape, made
 * with the baseline's preprocessing. The size is read from the header before any pixel is
 * decoded, so that a small file claiming a huge image is refused instead of filling the heap.
 * Thread-safe (stateless beyond its settings).
 */
final class ImageDecoding {

  private final ImageShape shape;
  private final ImagePreprocessing preprocessing;
  private final long maxPixels;

  ImageDecoding(ImageShape shape, ImagePreprocessing preprocessing, long maxPixels) {
    this.shape = shape;
    this.preprocessing = preprocessing;
    this.maxPixels = maxPixels;
  }

  /**
   * Decodes one image.
   *
   * @param what how messages name it, e.g. "part 2"
   * @throws RequestException if it cannot be decoded (400) or is too large (413)
   */
  BufferedImage decode(byte[] bytes, String what) throws RequestException {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new RequestException(Reason.MALFORMED, what + " is not an image ImageIO can read (PNG or JPEG expected)"
            + " (" + bytes.length + " bytes)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
          throw new RequestException(Reason.TOO_LARGE, what + " is " + reader.getWidth(0) + "x" + reader.getHeight(0)
              + " pixels, but at most " + maxPixels + " pixels per image are accepted");
        }
        BufferedImage image = reader.read(0);
        if (image == null) {
          throw new RequestException(Reason.MALFORMED, what + " could not be decoded");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // ImageIO reports broken files as IIOException, and some as IllegalArgumentException or worse
      throw new RequestException(Reason.MALFORMED, what + " could not be decoded as " + "an image: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
  }

  /**
   * The batch of decoded images, made as the baseline's images were.
   *
   * @throws RequestException (422) if an image does not fit the model's shape without resizing
   */
  ImageBatch batch(List<BufferedImage> images) throws RequestException {
    try {
      return preprocessing.batch(shape, images);
    } catch (IllegalArgumentException e) {
      throw new RequestException(Reason.WRONG_SHAPE, e.getMessage() + " (the baseline's preprocessing is "
          + preprocessing + ")", e);
    }
  }
}
