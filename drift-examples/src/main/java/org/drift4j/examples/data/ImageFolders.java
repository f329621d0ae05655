package org.drift4j.examples.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;

/**
 * Reads folders of PNG/JPEG images: either one folder of images, or a folder of class folders
 * (as the original notMNIST release ships: {@code A/ … J/}), whose sorted names become labels
 * 0, 1, …. Files are read in name order.
 */
public final class ImageFolders {

  private ImageFolders() {}

  /**
   * Reads the images under {@code dir} as greyscale images of {@code shape} (null: the size of
   * the first image).
   *
   * @param skipUnreadable whether to skip files that cannot be decoded (the original notMNIST has
   *     a few) instead of failing; the skipped count is in the source description
   * @throws DataFormatException if there is no image, a file cannot be decoded (unless skipped),
   *     or an image's size differs from the shape
   */
  public static LabeledImages read(Path dir, ImageShape shape, boolean skipUnreadable) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir + ": not a directory of images");
    }
    List<Path> classes = list(dir).stream().filter(Files::isDirectory).toList();
    List<BufferedImage> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    int skipped = 0;
    List<Path> groups = classes.isEmpty() ? List.of(dir) : classes;
    for (int label = 0; label < groups.size(); label++) {
      for (Path file : list(groups.get(label))) {
        if (!isImage(file)) {
          continue;
        }
        BufferedImage image;
        try {
          image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
          image = null;
        }
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
        if (image.getWidth() != shape.width() || image.getHeight() != shape.height()) {
          throw new DataFormatException(file + ": image must be " + shape.width() + "x" + shape.height()
              + " (width x height), but was " + image.getWidth() + "x" + image.getHeight());
        }
        images.add(image);
        labels.add(label);
      }
    }
    if (images.isEmpty()) {
      throw new DataFormatException(dir + ": holds no PNG or JPEG image");
    }
    ImageBatch batch = ImageBatch.ofImages(shape, images);
    String source = dir + " (" + images.size() + " images" + (classes.isEmpty() ? "" : " in " + classes.size() + " classes")
        + (skipped > 0 ? ", " + skipped + " unreadable files skipped" : "") + ")";
    return new LabeledImages(batch, classes.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray(), source);
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(file) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
