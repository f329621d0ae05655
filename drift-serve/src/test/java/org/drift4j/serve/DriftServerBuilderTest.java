package org.drift4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ReconstructionError;
import org.drift4j.testkit.Fakes;
import org.junit.jupiter.api.Test;

class DriftServerBuilderTest {

  @Test
  void settersRefuseBadValuesNamingTheSettingAndTheValue() {
    DriftServerBuilder b = DriftServer.builder(TestServers.detector());
    assertThatThrownBy(() -> b.port(70_000)).hasMessage("port must be between 0 and 65535, but was 70000");
    assertThatThrownBy(() -> b.maxImages(0)).hasMessage("maxImages must be between 1 and 1000000, but was 0");
    assertThatThrownBy(() -> b.maxRequestBytes(0)).hasMessage("maxRequestBytes must be between 1 and 1073741824, but was 0");
    assertThatThrownBy(() -> b.modelName("a/b")).hasMessage("modelName must be letters, digits, '.', '_' or '-', but was \"a/b\"");
    assertThatThrownBy(() -> b.snapshotInterval(Duration.ofMillis(-1)))
        .hasMessage("snapshotInterval must be zero or at least 10 ms, but was PT-0.001S");
    assertThatThrownBy(() -> b.threads(2)).hasMessage("threads must be between 4 and 1000, but was 2");
    assertThatThrownBy(() -> b.bind(" ")).hasMessage("bind must not be blank");
  }

  @Test
  void aSnapshotNeedsAMonitor() {
    assertThatThrownBy(() -> DriftServer.builder(TestServers.detector()).snapshotFile(Path.of("x.json")).build())
        .hasMessage("snapshotFile needs a monitor: a server of a detector alone keeps no state");
  }

  @Test
  void aPreprocessingOtherThanTheBaselinesIsRefused() {
    assertThatThrownBy(() -> DriftServer.builder(TestServers.monitor())
        .preprocessing(ImagePreprocessing.resize(ImagePreprocessing.Interpolation.AREA)).build())
        .hasMessage("preprocessing must be the baseline's, none (its images were made so, and the monitor refuses"
            + " others), but was resize:area");
  }

  @Test
  void aDetectorOfAnotherModelIsRefused() {
    Baseline other = Baseline.of(new SplittableRandom(2).doubles(100).toArray(), ReconstructionError.MEAN_SQUARED_ERROR,
        TestServers.SHAPE, "other", Instant.EPOCH);
    DriftDetector detector = DriftDetector.builder(Fakes.of(TestServers.SHAPE, "other",
        batch -> new float[batch.size()][16]), other).build();
    assertThatThrownBy(() -> DriftServer.builder(TestServers.monitor()).detector(detector).build())
        .hasMessageStartingWith("the detector must score the monitor's model, shape and preprocessing (blank, 1x4x4,"
            + " none), but scores other");
  }

  @Test
  void aDetectorAloneChecksEachRequestAndAnswersWithItsPValue() throws Exception {
    try (DriftServer server = DriftServer.builder(TestServers.detector()).port(0).build().start()) {
      assertThat(server.uri().toString()).startsWith("http://127.0.0.1:");
      var response = TestServers.postJson(server, "/v2/models/drift4j/infer", "{\"inputs\": [{\"name\": \"x\","
          + " \"shape\": [1, 16], \"datatype\": \"UINT8\", \"data\": [" + "90,".repeat(15) + "90]}]}");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(TestServers.json(response).path("outputs").findValuesAsText("name")).contains("p_val");
      assertThat(TestServers.json(TestServers.get(server, "/v1/status")).path("monitor").isNull()).isTrue();
    }
  }
}
