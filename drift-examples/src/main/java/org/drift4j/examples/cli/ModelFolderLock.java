package org.drift4j.examples.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.drift4j.internal.AtomicFiles;

/**
 * The writers' lock of a model folder: while {@code train} writes a folder, a second
 * {@code train} into it is refused instead of mixing its files with the first one's. The lock is
 * an OS file lock on {@value #FILE} in the folder, released when the holder closes it or its
 * process dies; the file itself stays. Acquiring it deletes the temporary files that writers
 * killed mid-write left next to the folder's files. Not thread-safe; one holder closes it.
 */
final class ModelFolderLock implements AutoCloseable {

  /** The lock file's name in the model folder. */
  static final String FILE = ".drift4j-train.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private ModelFolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dir} (creating it) and deletes the temporaries of {@code files} in it.
   *
   * @param dir the model folder
   * @param files the names of the files that writers of the folder write
   * @return the lock, to close when done
   * @throws IllegalStateException if another writer holds the lock
   * @throws IOException if the folder or lock file cannot be made
   */
  static ModelFolderLock acquire(Path dir, String... files) throws IOException {
    Files.createDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this JVM
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(dir + " is being written by another 'drift4j train' (it holds the lock "
          + dir.resolve(FILE) + "); wait for it to finish or give another --out");
    }
    ModelFolderLock held = new ModelFolderLock(channel, lock);
    try {
      for (String file : files) {
        AtomicFiles.deleteTemporaries(dir.resolve(file));
      }
    } catch (IOException | RuntimeException e) {
      held.close();
      throw e;
    }
    return held;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
