package org.drift4j.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.drift4j.ImageShape;

/** Opens what a user points the tools at: an IDX image file (raw or .gz) or a folder of images. */
public final class ImageSources {

  private ImageSources() {}

  /**
   * Loads images from {@code path}; a folder is read as {@code folderShape} images (null: the
   * size of its first image).
   *
   * @param labels an IDX label file, or null
   * @throws NoSuchFileException if the path does not exist
   * @throws DataFormatException if the content is not images of a known format
   */
  public static LabeledImages load(Path path, Path labels, ImageShape folderShape) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString(), null, "no such file or directory");
    }
    if (Files.isDirectory(path)) {
      if (labels != null) {
        throw new DataFormatException(labels + ": labels go with IDX image files; a folder's labels are its class folders");
      }
      return ImageFolders.read(path, folderShape, false);
    }
    return Idx.read(path, labels);
  }

}
