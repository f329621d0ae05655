package org.drift4j.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.drift4j.internal.AtomicFiles;

/**
 * A model folder replaced as one unit. {@code train} writes the new files into {@value #NEXT}
 * inside the folder, then marks that set complete ({@value #COMPLETE}, written atomically), then
 * moves each file into place and removes the set. Readers take each member from the complete set
 * while it exists, else from the folder: before the mark they read the old files, after it the new
 * ones, whichever moves have happened, so a kill at any point leaves the folder's old or new files,
 * never a mix. A writer that finds a complete set left by a killed writer finishes its moves
 * ({@link #recover}); an incomplete one is deleted. Writers hold the {@link ModelFolderLock}.
 * Stateless; safe for any number of readers while one writer holds the lock.
 */
final class ModelFolder {

  /** The folder, inside the model folder, where a writer stages the new files. */
  static final String NEXT = ".next";
  /** The marker that the staged set is complete. */
  static final String COMPLETE = ".complete";

  private ModelFolder() {}

  /** The file a reader loads for member {@code name} of {@code folder}. */
  static Path member(Path folder, String name) {
    Path next = folder.resolve(NEXT);
    Path staged = next.resolve(name);
    Path complete = next.resolve(COMPLETE);
    if (Files.exists(complete)) {
      if (Files.exists(staged)) {
        return staged;
      }
      try {
        if (Files.readAllLines(complete, StandardCharsets.UTF_8).contains("delete " + name)) {
          return staged; // absent from the new set: the reader sees it missing
        }
      } catch (IOException e) {
        // the writer finished meanwhile: the folder holds the new set
      }
    }
    return folder.resolve(name);
  }

  /** Where a writer stages the new files (created empty: whatever an earlier writer left is deleted). */
  static Path stage(Path folder) throws IOException {
    Path next = folder.resolve(NEXT);
    deleteRecursively(next);
    Files.createDirectories(next);
    return next;
  }

  /**
   * Commits the staged files: every name of {@code members} is then the staged file, or absent
   * if none was staged.
   */
  static void commit(Path folder, List<String> members) throws IOException {
    markComplete(folder, members);
    finish(folder);
  }

  /** Marks the staged set complete: from here on, readers read it and a killed commit is finished. */
  static void markComplete(Path folder, List<String> members) throws IOException {
    Path next = folder.resolve(NEXT);
    StringBuilder plan = new StringBuilder();
    for (String name : members) {
      plan.append(Files.exists(next.resolve(name)) ? "move " : "delete ").append(name).append('\n');
    }
    AtomicFiles.write(next.resolve(COMPLETE), plan.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * What a writer does first, holding the lock: finishes a complete set a killed writer left, or
   * deletes an incomplete one.
   */
  static void recover(Path folder) throws IOException {
    if (Files.exists(folder.resolve(NEXT).resolve(COMPLETE))) {
      finish(folder);
    } else {
      deleteRecursively(folder.resolve(NEXT));
    }
  }

  /** Carries out the complete set's plan; a member already moved by a killed writer is left. */
  private static void finish(Path folder) throws IOException {
    Path next = folder.resolve(NEXT);
    for (String line : Files.readAllLines(next.resolve(COMPLETE), StandardCharsets.UTF_8)) {
      String name = line.substring(line.indexOf(' ') + 1);
      Path staged = next.resolve(name);
      if (line.startsWith("move ")) {
        if (Files.exists(staged)) {
          Files.move(staged, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        Files.deleteIfExists(folder.resolve(name));
      }
    }
    AtomicFiles.syncDirectory(folder);
    deleteRecursively(next);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
