package org.drift4j.examples.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;

/**
 * Streams an IDX image file in chunks, so that a file of any size is read in the memory of one
 * chunk. Grey files are idx3 (magic 0x00000803: count, rows, columns); colour files idx4 (magic
 * 0x00000804: count, channels, rows, columns, each image's pixels channel-major). Opened by {@link Idx#openImages(Path)}, which validates the header first.
 *
 * <pre>{@code
 * try (IdxImageReader reader = Idx.openImages(path)) {
 *   while (reader.hasNext()) {
 *     ImageBatch chunk = reader.next(1_000);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>A raw file's length is checked against its header when it is opened. A gzip file's content is
 * checked as it is inflated: a file that ends early fails in the chunk that reaches the missing
 * image, naming it; the last chunk is returned only once the end of the file is verified (gzip
 * CRC and size, nothing after the last image).
 *
 * <p>Not thread-safe. Whoever opens it closes it.
 */
public final class IdxImageReader implements Closeable {

  /** The size of the grey IDX image header: magic, count, rows, columns. */
  static final int HEADER_BYTES = 16;

  private final IdxInput input;
  private final ImageShape shape;
  private final int count;
  private int position;

  private IdxImageReader(IdxInput input, ImageShape shape, int count) {
    this.input = input;
    this.shape = shape;
    this.count = count;
  }

  /** Opens {@code file} and validates its header; see {@link Idx#openImages(Path)}. */
  static IdxImageReader open(Path file) throws IOException {
    IdxInput input = IdxInput.open(file);
    try {
      return readHeader(input);
    } catch (IOException | RuntimeException e) {
      input.close();
      throw e;
    }
  }

  private static IdxImageReader readHeader(IdxInput input) throws IOException {
    Path file = input.file();
    int magic = input.readInt();
    if (magic != Idx.IMAGES_MAGIC && magic != Idx.COLOUR_IMAGES_MAGIC) {
      throw new DataFormatException(file + ": not an IDX image file: magic number must be 0x00000803 (or 0x00000804"
          + " for colour), but was 0x" + String.format("%08x", magic) + (magic == Idx.LABELS_MAGIC ? " (a label file)" : ""));
    }
    int count = input.readInt();
    int channels = magic == Idx.COLOUR_IMAGES_MAGIC ? input.readInt() : 1;
    int rows = input.readInt();
    int cols = input.readInt();
    if (count < 0 || channels < 0 || rows < 0 || cols < 0) {
      // IDX sizes are unsigned 32-bit: these are positive, but beyond what a Java array can index
      throw new DataFormatException(file + ": IDX header gives " + Integer.toUnsignedString(count) + " images of "
          + (channels == 1 ? "" : Integer.toUnsignedString(channels) + "x") + Integer.toUnsignedString(rows) + "x"
          + Integer.toUnsignedString(cols) + "; this reader supports sizes up to " + Integer.MAX_VALUE);
    }
    if (count == 0 || channels == 0 || rows == 0 || cols == 0) {
      throw new DataFormatException(file + ": IDX header must give at least 1 image of at least 1x1"
          + (magic == Idx.COLOUR_IMAGES_MAGIC ? " with at least 1 channel" : "") + ", but gave " + count + " images of "
          + (magic == Idx.COLOUR_IMAGES_MAGIC ? channels + "x" : "") + rows + "x" + cols);
    }
    long imageBytes = (long) channels * rows * cols;
    if (imageBytes > Idx.MAX_BYTES_IN_MEMORY) {
      throw new DataFormatException(file + ": an image of " + (channels == 1 ? "" : channels + "x") + rows + "x" + cols
          + " (" + imageBytes + " bytes) is larger than the " + Idx.MAX_BYTES_IN_MEMORY + " bytes a chunk may hold");
    }
    ImageShape shape = new ImageShape(channels, rows, cols);
    long promised = count * imageBytes;
    if (!input.compressed()) {
      long body = input.rawLength() - headerBytes(shape);
      if (body < promised) {
        throw truncated(file, count, shape, body);
      }
      if (body > promised) {
        throw new DataFormatException(file + ": holds " + (body - promised) + " bytes after its last image (the header"
            + " promises " + promise(count, shape) + "); an IDX file must end with its last image");
      }
    }
    return new IdxImageReader(input, shape, count);
  }

  /** The header's size: {@link #HEADER_BYTES}, 4 more for a colour file's channel count. */
  static int headerBytes(ImageShape shape) {
    return shape.channels() == 1 ? HEADER_BYTES : HEADER_BYTES + 4;
  }

  /** The shape of every image, from the header. */
  public ImageShape shape() {
    return shape;
  }

  /** The number of images the header promises. */
  public int count() {
    return count;
  }

  /** The number of images read so far. */
  public int position() {
    return position;
  }

  /** Whether images remain to be read. */
  public boolean hasNext() {
    return position < count;
  }

  /**
   * Reads the next {@code maxImages} images, or all that remain if fewer. Allocates as the bytes
   * arrive, at most the chunk, never what the header promises.
   *
   * @throws IllegalArgumentException if {@code maxImages} is below 1, or the chunk would hold more
   *     than {@link Idx#MAX_BYTES_IN_MEMORY} bytes
   * @throws NoSuchElementException if every image has been read
   * @throws DataFormatException if the file ends before the chunk's last image (the message names
   *     the first missing image), is a corrupt gzip stream, or holds data after its last image
   */
  public ImageBatch next(int maxImages) throws IOException {
    if (maxImages < 1) {
      throw new IllegalArgumentException("maxImages must be at least 1, but was " + maxImages);
    }
    if (!hasNext()) {
      throw new NoSuchElementException("all " + count + " images of " + input.file() + " have been read");
    }
    int n = shape.size();
    int images = Math.min(maxImages, count - position);
    if ((long) images * n > Idx.MAX_BYTES_IN_MEMORY) {
      throw new IllegalArgumentException("maxImages must be at most " + Idx.MAX_BYTES_IN_MEMORY / n + " for images of "
          + describe(shape) + " (a chunk holds at most " + Idx.MAX_BYTES_IN_MEMORY
          + " bytes), but was " + maxImages);
    }
    byte[] bytes = input.readUpTo(images * n);
    if (bytes.length < images * n) {
      throw truncated(input.file(), count, shape, (long) position * n + bytes.length);
    }
    position += images;
    if (position == count && !input.atEnd()) {
      throw new DataFormatException(input.file() + ": holds data after its last image (the header promises "
          + promise(count, shape) + "); an IDX file must end with its last image");
    }
    float[] flat = new float[bytes.length];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = (bytes[i] & 0xFF) / 255f;
    }
    return ImageBatch.ofFlat(shape, flat);
  }

  @Override
  public void close() throws IOException {
    input.close();
  }

  /** "3 images of 28x28, 2352 bytes" (colour: "3 images of 3x28x28, 7056 bytes"). */
  static String promise(int count, ImageShape shape) {
    return count + " images of " + describe(shape) + ", " + (long) count * shape.size() + " bytes";
  }

  /** "28x28" for grey images, "3x28x28" for colour. */
  static String describe(ImageShape shape) {
    return shape.channels() == 1 ? shape.height() + "x" + shape.width() : shape.toString();
  }

  private static DataFormatException truncated(Path file, int count, ImageShape shape, long held) {
    long imageBytes = shape.size();
    return new DataFormatException(file + ": header promises " + count + " images of " + describe(shape) + " ("
        + count * imageBytes + " bytes) but the file holds only " + held + " bytes after the header: it ends "
        + (held % imageBytes == 0 ? "before" : "inside") + " image " + held / imageBytes + " (counting from 0)");
  }
}
