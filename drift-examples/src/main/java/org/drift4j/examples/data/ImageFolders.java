package org.drift4j.examples.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;

/**
 * Reads folders of PNG/JPEG images: either one folder of images, or a folder of class folders
 * (as the original notMNIST release ships: {@code A/ … J/}), whose sorted names become labels
 * 0, 1, …. Files are read in name order.
 *
 * <p>The rules, each broken one refused with a {@link DataFormatException} naming the path:
 * <ul>
 *   <li>A folder holds either images or class folders, never both; a class folder holds images
 *       only, and at least one.
 *   <li>Images are told by name: {@code .png}, {@code .jpg}, {@code .jpeg}, any case. Other files
 *       are ignored, and their number is in the source description.
 *   <li>Hidden files and folders (names starting with a dot) are ignored, at every level, and not
 *       counted.
 *   <li>A symbolic link to a file is followed; a link to a folder is refused (so no image is read
 *       twice through it and no loop can be followed), and so is an image name whose link leads
 *       nowhere.
 *   <li>Each real file is read at most once: a second path to a file already listed (a symbolic
 *       or hard link) is refused rather than skipped, since its label would be ambiguous.
 *   <li>An image's size is read from its header before it is decoded: one that differs from the
 *       shape, or (without a shape) has more than {@link #MAX_PIXELS} pixels, is refused unread.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class ImageFolders {

  /** The most pixels an image may have when no shape is given: 2^24 (4096 x 4096). */
  public static final int MAX_PIXELS = 1 << 24;

  private ImageFolders() {}

  /**
   * Reads the images under {@code dir} as greyscale images of {@code shape} (null: the size of
   * the first image).
   *
   * @param skipUnreadable whether to skip files that cannot be decoded (the original notMNIST has
   *     a few) instead of failing; the skipped count is in the source description
   * @throws DataFormatException if the layout breaks a rule of the class description, there is no
   *     image, a file cannot be decoded (unless skipped), or an image's size differs from the
   *     shape
   */
  public static LabeledImages read(Path dir, ImageShape shape, boolean skipUnreadable) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir + ": not a directory of images");
    }
    FolderLayout layout = FolderLayout.of(dir);
    boolean labelled = !layout.classes().isEmpty();
    List<BufferedImage> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    int skipped = 0;
    for (int label = 0; label < layout.images().size(); label++) {
      int before = images.size();
      for (Path file : layout.images().get(label)) {
        BufferedImage image = decode(file, shape);
        if (image == null) {
          if (skipUnreadable) {
            skipped++;
            continue;
          }
          throw new DataFormatException(file + ": not a readable PNG or JPEG image (corrupt or truncated file)");
        }
        if (shape == null) {
          shape = ImageShape.grey(image.getHeight(), image.getWidth());
        }
        images.add(image);
        labels.add(label);
      }
      if (labelled && images.size() == before) {
        throw new DataFormatException(layout.classes().get(label) + ": class folder holds no readable PNG or JPEG image ("
            + layout.images().get(label).size() + " unreadable files skipped)");
      }
    }
    if (images.isEmpty()) {
      throw new DataFormatException(dir + ": holds no " + (skipped > 0 ? "readable " : "") + "PNG or JPEG image"
          + (layout.ignored() > 0 ? " (" + layout.ignored() + " non-image files ignored)" : ""));
    }
    ImageBatch batch = ImageBatch.ofImages(shape, images);
    String source = dir + " (" + images.size() + " images" + (labelled ? " in " + layout.classes().size() + " classes" : "")
        + (skipped > 0 ? ", " + skipped + " unreadable files skipped" : "")
        + (layout.ignored() > 0 ? ", " + layout.ignored() + " non-image files ignored" : "") + ")";
    return new LabeledImages(batch, labelled ? labels.stream().mapToInt(Integer::intValue).toArray() : null, source);
  }

  /**
   * Decodes {@code file} after checking the size in its header; null if it is not a decodable
   * image.
   *
   * @throws DataFormatException if its size differs from {@code shape} or exceeds {@link #MAX_PIXELS}
   */
  private static BufferedImage decode(Path file, ImageShape shape) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width;
        int height;
        try {
          width = reader.getWidth(0);
          height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
          return null;
        }
        if (shape != null && (width != shape.width() || height != shape.height())) {
          throw new DataFormatException(file + ": image must be " + shape.width() + "x" + shape.height()
              + " (width x height), but was " + width + "x" + height);
        }
        if ((long) width * height > MAX_PIXELS) {
          throw new DataFormatException(file + ": an image of " + width + "x" + height + " (width x height) has more than"
              + " the " + MAX_PIXELS + " pixels an image may have");
        }
        try {
          return reader.read(0);
        } catch (IOException | RuntimeException e) {
          return null;
        }
      } finally {
        reader.dispose();
      }
    }
  }
}
