package org.drift4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.drift4j.serve.TestServers.json;
import static org.drift4j.serve.TestServers.postJson;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.drift4j.DriftMonitor;
import org.drift4j.MonitorSnapshot;
import org.drift4j.testkit.Fakes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's snapshots: written at shutdown and periodically, restored at start, corrupt ones set aside. */
class SnapshotKeeperTest {

  private static final String TWO_IMAGES = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 4, 4], \"datatype\":"
      + " \"UINT8\", \"data\": [" + "180,".repeat(31) + "180]}]}";

  @TempDir
  Path dir;

  private static long monitorImages(DriftServer server) {
    return json(TestServers.get(server, "/v1/status")).path("monitor").path("images").asLong();
  }

  @Test
  void aGracefulShutdownWritesTheSnapshotAndARestartContinuesFromIt() throws Exception {
    Path file = dir.resolve("state/snapshot.json");
    DriftServer first = TestServers.server().snapshotFile(file).snapshotInterval(Duration.ZERO).build().start();
    for (int i = 0; i < 3; i++) {
      assertThat(postJson(first, "/v2/models/drift4j/infer", TWO_IMAGES).statusCode()).isEqualTo(200);
    }
    assertThat(file).doesNotExist();
    first.close();
    assertThat(MonitorSnapshot.read(file).images()).isEqualTo(6);

    DriftServer second = TestServers.server().snapshotFile(file).build().start();
    try {
      assertThat(monitorImages(second)).isEqualTo(6);
      assertThat(json(TestServers.get(second, "/v1/status")).path("snapshot").path("atStart").asText())
          .startsWith("restored 6 images and ").contains(file.toString());
      postJson(second, "/v2/models/drift4j/infer", TWO_IMAGES);
      assertThat(monitorImages(second)).isEqualTo(8);
    } finally {
      second.close();
    }
    assertThat(MonitorSnapshot.read(file).images()).isEqualTo(8);
  }

  @Test
  void aCorruptSnapshotIsSetAsideAndTheMonitorStartsAfresh() throws Exception {
    Path file = dir.resolve("snapshot.json");
    DriftServer first = TestServers.server().snapshotFile(file).build().start();
    postJson(first, "/v2/models/drift4j/infer", TWO_IMAGES);
    first.close();
    String json = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, json.substring(0, json.length() / 2), StandardCharsets.UTF_8);

    DriftServer second = TestServers.server().snapshotFile(file).build().start();
    try {
      assertThat(monitorImages(second)).isZero();
      JsonNode snapshot = json(TestServers.get(second, "/v1/status")).path("snapshot");
      assertThat(snapshot.path("atStart").asText()).contains("is unreadable: ").contains("set aside as snapshot.json.corrupt-");
      List<Path> aside;
      try (Stream<Path> files = Files.list(dir)) {
        aside = files.filter(p -> p.getFileName().toString().startsWith("snapshot.json.corrupt-")).toList();
      }
      assertThat(aside).hasSize(1);
      assertThat(Files.readString(aside.get(0), StandardCharsets.UTF_8)).isEqualTo(json.substring(0, json.length() / 2));
      assertThat(file).doesNotExist();
    } finally {
      second.close();
    }
    assertThat(MonitorSnapshot.read(file).images()).isZero();
  }

  @Test
  void aSnapshotOfAnotherMonitorIsSetAsideRatherThanLoaded() throws Exception {
    Path file = dir.resolve("snapshot.json");
    DriftMonitor other = TestServers.monitor(Fakes.blank(TestServers.SHAPE));
    other.observe(org.drift4j.ImageBatch.ofFlat(TestServers.SHAPE, new float[16]));
    MonitorSnapshot foreign = other.snapshot();
    Files.writeString(file, foreign.toJson().replace(TestServers.baseline().id(), "another-baseline"));
    DriftServer server = TestServers.server().snapshotFile(file).build().start();
    try {
      assertThat(monitorImages(server)).isZero();
      assertThat(json(TestServers.get(server, "/v1/status")).path("snapshot").path("atStart").asText())
          .contains("set aside");
    } finally {
      server.close();
    }
  }

  @Test
  void snapshotsAreWrittenPeriodicallyWhileImagesArrive() throws Exception {
    Path file = dir.resolve("snapshot.json");
    DriftServer server = TestServers.server().snapshotFile(file).snapshotInterval(Duration.ofMillis(50)).build().start();
    try {
      postJson(server, "/v2/models/drift4j/infer", TWO_IMAGES);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(Files.exists(file) && MonitorSnapshot.read(file).images() == 2) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(MonitorSnapshot.read(file).images()).isEqualTo(2);
    } finally {
      server.close();
    }
  }

  @Test
  void shutdownLetsARequestInFlightFinishAndItsImagesAreInTheSnapshot() throws Exception {
    Path file = dir.resolve("snapshot.json");
    CountDownLatch scoring = new CountDownLatch(1);
    DriftMonitor slow = TestServers.monitor(Fakes.of(TestServers.SHAPE, "blank", batch -> {
      scoring.countDown();
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new float[batch.size()][TestServers.SHAPE.size()];
    }));
    DriftServer server = DriftServer.builder(slow).port(0).snapshotFile(file).snapshotInterval(Duration.ZERO).build()
        .start();
    CompletableFuture<HttpResponse<String>> inFlight =
        CompletableFuture.supplyAsync(() -> postJson(server, "/v2/models/drift4j/infer", TWO_IMAGES));
    assertThat(scoring.await(10, TimeUnit.SECONDS)).isTrue();
    server.close();
    assertThat(server.isReady()).isFalse();
    HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(MonitorSnapshot.read(file).images()).isEqualTo(2);
  }
}
