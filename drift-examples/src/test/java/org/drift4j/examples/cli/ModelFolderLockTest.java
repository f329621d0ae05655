package org.drift4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderLockTest {

  @TempDir
  Path dir;

  @Test
  void aSecondWriterIsRefusedWhileTheFirstHoldsTheLockAndAdmittedAfter() throws IOException {
    Path model = dir.resolve("model");
    ModelFolderLock first = ModelFolderLock.acquire(model);
    try {
      assertThatThrownBy(() -> ModelFolderLock.acquire(model))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(model + " is being written by another 'drift4j train'");
    } finally {
      first.close();
    }
    ModelFolderLock.acquire(model).close();
    assertThat(model.resolve(ModelFolderLock.FILE)).exists();
  }

  /** Before: the temporary files of a killed train stayed in the folder for ever. */
  @Test
  void acquiringDeletesTheTemporariesAKilledWriterLeftAndNothingElse() throws IOException {
    Path model = Files.createDirectories(dir.resolve("model"));
    Path leftover = Files.writeString(model.resolve(".model.zip.00f3a9c1d2e4b5a6.tmp"), "half a model");
    Path other = Files.writeString(model.resolve(".baseline.json.00f3a9c1d2e4b5a6.tmp"), "half a baseline");
    Path keep = Files.writeString(model.resolve("notes.tmp"), "the user's");
    ModelFolderLock.acquire(model, "model.zip", "baseline.json").close();
    assertThat(leftover).doesNotExist();
    assertThat(other).doesNotExist();
    assertThat(keep).exists();
  }
}
