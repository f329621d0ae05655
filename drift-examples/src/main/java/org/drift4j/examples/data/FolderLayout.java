package org.drift4j.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The image files of a folder and their classes, found by the rules of {@link ImageFolders}: no
 * file is decoded here, only listed and checked.
 *
 * @param classes the class folders in name order, or an empty list for a flat folder
 * @param images the image files of each class in name order (one list for a flat folder)
 * @param ignored the number of non-image files passed over (hidden files not counted)
 */
record FolderLayout(List<Path> classes, List<List<Path>> images, int ignored) {

  private enum Kind { IMAGE, OTHER, FOLDER }

  /** One listed entry; {@code identity} tells whether two image paths are the same file. */
  private record Entry(Path path, Kind kind, Object identity) {}

  /**
   * Lists {@code dir} by the rules of {@link ImageFolders}.
   *
   * @throws DataFormatException if the layout breaks one of them
   */
  static FolderLayout of(Path dir) throws IOException {
    int[] ignored = {0};
    List<Entry> top = list(dir, ignored);
    List<Entry> folders = top.stream().filter(e -> e.kind() == Kind.FOLDER).toList();
    List<Entry> loose = top.stream().filter(e -> e.kind() == Kind.IMAGE).toList();
    Map<Object, Path> seen = new HashMap<>();
    if (folders.isEmpty()) {
      return new FolderLayout(List.of(), List.of(images(loose, seen)), ignored[0]);
    }
    if (!loose.isEmpty()) {
      throw new DataFormatException(dir + ": holds both images (e.g. " + name(loose.get(0)) + ") and class folders (e.g. "
          + name(folders.get(0)) + "/); a folder must hold either images or class folders, not both");
    }
    List<Path> classes = new ArrayList<>();
    List<List<Path>> images = new ArrayList<>();
    for (Entry folder : folders) {
      List<Entry> entries = list(folder.path(), ignored);
      for (Entry e : entries) {
        if (e.kind() == Kind.FOLDER) {
          throw new DataFormatException(e.path() + ": a folder inside class folder " + name(folder)
              + "; class folders must hold images only");
        }
      }
      List<Path> files = images(entries.stream().filter(e -> e.kind() == Kind.IMAGE).toList(), seen);
      if (files.isEmpty()) {
        throw new DataFormatException(folder.path() + ": class folder holds no PNG or JPEG image");
      }
      classes.add(folder.path());
      images.add(files);
    }
    return new FolderLayout(List.copyOf(classes), List.copyOf(images), ignored[0]);
  }

  /** Whether a file name is a PNG or JPEG image's. */
  static boolean isImageName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg");
  }

  private static List<Path> images(List<Entry> entries, Map<Object, Path> seen) throws DataFormatException {
    List<Path> paths = new ArrayList<>();
    for (Entry e : entries) {
      Path first = seen.putIfAbsent(e.identity(), e.path());
      if (first != null) {
        throw new DataFormatException(e.path() + ": the same file as " + first
            + " (a link); each image file may appear only once");
      }
      paths.add(e.path());
    }
    return paths;
  }

  private static List<Entry> list(Path dir, int[] ignored) throws IOException {
    List<Path> paths;
    try (Stream<Path> s = Files.list(dir)) {
      paths = s.sorted().toList();
    }
    List<Entry> entries = new ArrayList<>();
    for (Path p : paths) {
      String name = p.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      BasicFileAttributes own = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      BasicFileAttributes target = own.isSymbolicLink() ? linkTarget(p) : own;
      if (target != null && target.isDirectory()) {
        if (own.isSymbolicLink()) {
          throw new DataFormatException(p + ": a symbolic link to a folder; class folders must be real folders, so that"
              + " no image is read twice and no loop is followed");
        }
        entries.add(new Entry(p, Kind.FOLDER, null));
      } else if (!isImageName(name)) {
        ignored[0]++;
      } else if (target == null) {
        throw new DataFormatException(p + ": a symbolic link that leads to no file (broken, or a loop)");
      } else if (!target.isRegularFile()) {
        throw new DataFormatException(p + ": not a regular file, so not an image");
      } else {
        Object key = target.fileKey() != null ? target.fileKey() : p.toRealPath();
        entries.add(new Entry(p, Kind.IMAGE, key));
      }
    }
    return entries;
  }

  /** What a link leads to, or null if it leads nowhere. */
  private static BasicFileAttributes linkTarget(Path link) {
    try {
      return Files.readAttributes(link, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
  }

  private static String name(Entry e) {
    return e.path().getFileName().toString();
  }
}
