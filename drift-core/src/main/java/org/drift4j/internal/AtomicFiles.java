package org.drift4j.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Crash-safe file writes shared by every module that stores something. Stateless and thread-safe.
 *
 * <p>A file is written to a temporary sibling named {@code .<name>.<16 hex digits>.tmp}, created
 * new (never through an existing file or link) with the default permissions, so the umask
 * decides its mode as for any other file the process creates; it is flushed to disk, moved over
 * the target in one step, and the directory is flushed too where the platform allows it.
 */
public final class AtomicFiles {

  private static final String TMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /**
   * Writes {@code bytes} to {@code file}: to a temporary file in the same directory, flushed to
   * disk, then moved over the target in one step, so a crash leaves the old file or the new one,
   * never a truncated one (and at worst a temporary file, which {@link #deleteTemporaries}
   * removes). Creates parent directories. The new file has the mode the umask gives a new file
   * (0644 under umask 0022), not the 0600 of {@link Files#createTempFile}.
   *
   * @param file the file to write
   * @param bytes its new content
   * @throws IOException if writing fails; the previous file, if any, is then untouched
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = null;
    try {
      FileChannel channel = null;
      for (int attempt = 0; channel == null; attempt++) {
        tmp = dir.resolve("." + target.getFileName() + "." + String.format("%016x", ThreadLocalRandom.current().nextLong())
            + TMP_SUFFIX);
        try {
          channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
          if (attempt >= 10) {
            throw e;
          }
        }
      }
      try (FileChannel open = channel) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          open.write(buffer);
        }
        open.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Flushes a directory's entries (a rename or a deletion in it) to disk, where the platform
   * allows opening a directory (Linux, macOS); elsewhere does nothing.
   *
   * @param dir the directory
   */
  public static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; its renames are durable once done
    }
  }

  /**
   * Deletes the temporary files that {@link #write} left beside {@code file} when the process was
   * killed mid-write. Call it only while no other writer can be writing {@code file} (under the
   * writers' lock): it cannot tell an abandoned temporary file from one in use.
   *
   * @param file the file whose temporaries to delete
   * @return how many were deleted
   * @throws IOException if the directory cannot be listed or a file cannot be deleted
   */
  public static int deleteTemporaries(Path file) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    // ours: 16 hex digits; Files.createTempFile's, written by earlier versions: decimal digits
    Pattern ours = Pattern.compile("\\." + Pattern.quote(target.getFileName().toString()) + "\\.[0-9a-f]{1,20}"
        + Pattern.quote(TMP_SUFFIX));
    int deleted = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (ours.matcher(entry.getFileName().toString()).matches() && Files.isRegularFile(entry)) {
          Files.delete(entry);
          deleted++;
        }
      }
    }
    return deleted;
  }
}
