package org.drift4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir
  Path dir;

  @Test
  void aWrittenFileGetsTheModeTheUmaskGivesAnyNewFile() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "a POSIX file system");
    Path reference = Files.createFile(dir.resolve("reference"));
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
    Path file = dir.resolve("model.zip");
    AtomicFiles.write(file, new byte[] {1, 2, 3});
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .as("mode under the JVM's umask").isEqualTo(PosixFilePermissions.toString(expected));
    // replacing keeps the umask's mode too
    AtomicFiles.write(file, new byte[] {4});
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(expected);
  }

  @Test
  void replacingAFileLeavesOnlyTheNewContent() throws IOException {
    Path file = dir.resolve("sub/baseline.json");
    AtomicFiles.write(file, "old".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    AtomicFiles.write(file, "new".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(file).hasContent("new");
    try (var entries = Files.list(file.getParent())) {
      assertThat(entries).containsExactly(file);
    }
  }

  @Test
  void aFailedWriteLeavesThePreviousFileAndNoTemporary() throws IOException {
    Path blocker = Files.createDirectories(dir.resolve("blocked"));
    Files.writeString(blocker.resolve("child"), "x");
    // a non-empty directory cannot be replaced by a file
    assertThatThrownBy(() -> AtomicFiles.write(blocker, new byte[] {1})).isInstanceOf(IOException.class);
    assertThat(blocker.resolve("child")).hasContent("x");
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("blocked");
    }
  }

  @Test
  void temporariesLeftByAKilledWriterAreDeletedAndNothingElse() throws IOException {
    Path file = dir.resolve("model.zip");
    Files.writeString(dir.resolve(".model.zip.0123456789abcdef.tmp"), "partial");
    Files.writeString(dir.resolve(".model.zip.8812376123.tmp"), "partial, from Files.createTempFile");
    Files.writeString(dir.resolve(".baseline.json.0123456789abcdef.tmp"), "another file's");
    Files.writeString(dir.resolve("model.zip.notes.tmp"), "the user's");
    Files.writeString(file, "model");
    assertThat(AtomicFiles.deleteTemporaries(file)).isEqualTo(2);
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("model.zip", ".baseline.json.0123456789abcdef.tmp", "model.zip.notes.tmp");
    }
    assertThat(AtomicFiles.deleteTemporaries(dir.resolve("absent/model.zip"))).isZero();
  }
}
