package org.drift4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChildProcessTest {

  @Test
  void aChattyChildNeverBlocksOnAFullPipe() throws Exception {
    // 4 MB on each stream: far beyond a pipe's buffer, which would block a child read after waitFor
    ChildProcess.Outcome outcome = ChildProcess.run(List.of("sh", "-c",
        "head -c 4000000 /dev/zero | tr '\\0' x; echo; head -c 4000000 /dev/zero | tr '\\0' y >&2; echo '{\"ok\":1}'"),
        60);
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).hasSize(4_000_000 + 1 + 9);
    assertThat(outcome.err()).hasSize(4_000_000);
    assertThat(outcome.lastJsonLine()).isEqualTo("{\"ok\":1}");
  }

  @Test
  void aChildStillRunningAtTheLimitIsKilledAndSaysSo() throws Exception {
    long start = System.nanoTime();
    ChildProcess.Outcome outcome = ChildProcess.run(List.of("sleep", "30"), 1);
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(20);
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.exitCode()).isEqualTo(-1);
    assertThat(outcome.err()).startsWith("killed after 1 s: sleep 30");
  }
}
