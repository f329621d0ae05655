package org.drift4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {

  @TempDir
  Path dir;

  private static final List<String> MEMBERS = List.of("model.zip", "baseline.json", "model.onnx");

  private void oldFolder() throws IOException {
    for (String m : MEMBERS) {
      Files.writeString(dir.resolve(m), "old " + m);
    }
  }

  /** The new set without an ONNX export: the old model.onnx must not survive beside the new model. */
  private void staged() throws IOException {
    Path next = ModelFolder.stage(dir);
    Files.writeString(next.resolve("model.zip"), "new model.zip");
    Files.writeString(next.resolve("baseline.json"), "new baseline.json");
  }

  private String read(String member) throws IOException {
    Path p = ModelFolder.member(dir, member);
    return Files.exists(p) ? Files.readString(p) : null;
  }

  @Test
  void beforeTheSetIsMarkedCompleteReadersSeeTheOldFilesAndAWriterDeletesTheStage() throws IOException {
    oldFolder();
    staged();
    assertThat(read("model.zip")).isEqualTo("old model.zip");
    assertThat(read("model.onnx")).isEqualTo("old model.onnx");
    ModelFolder.recover(dir);
    assertThat(dir.resolve(ModelFolder.NEXT)).doesNotExist();
    assertThat(Files.readString(dir.resolve("model.zip"))).isEqualTo("old model.zip");
  }

  @Test
  void aCommitKilledBetweenItsMovesLeavesReadersTheNewSetAndTheNextWriterFinishesIt() throws IOException {
    oldFolder();
    staged();
    ModelFolder.markComplete(dir, MEMBERS);
    // killed after the first move
    Files.move(dir.resolve(ModelFolder.NEXT).resolve("model.zip"), dir.resolve("model.zip"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(read("model.zip")).isEqualTo("new model.zip");
    assertThat(read("baseline.json")).isEqualTo("new baseline.json");
    assertThat(read("model.onnx")).as("absent from the new set").isNull();

    ModelFolder.recover(dir);
    assertThat(Files.readString(dir.resolve("model.zip"))).isEqualTo("new model.zip");
    assertThat(Files.readString(dir.resolve("baseline.json"))).isEqualTo("new baseline.json");
    assertThat(dir.resolve("model.onnx")).doesNotExist();
    assertThat(dir.resolve(ModelFolder.NEXT)).doesNotExist();
  }

  @Test
  void aCommitReplacesEveryMemberAndLeavesNoStage() throws IOException {
    oldFolder();
    staged();
    ModelFolder.commit(dir, MEMBERS);
    assertThat(Files.readString(dir.resolve("model.zip"))).isEqualTo("new model.zip");
    assertThat(Files.readString(dir.resolve("baseline.json"))).isEqualTo("new baseline.json");
    assertThat(dir.resolve("model.onnx")).doesNotExist();
    assertThat(dir.resolve(ModelFolder.NEXT)).doesNotExist();
    assertThat(read("model.zip")).isEqualTo("new model.zip");
  }
}
