package org.drift4j.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.drift4j.spring.TestModels;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The test application on a real port on loopback: requests of 1 and 32 PNG images reach the
 * auto-configured monitor; Actuator's health and Prometheus endpoints show the images, and a drift
 * turns health DEGRADED until the drift4j endpoint resets it.
 */
@SpringBootTest(classes = DriftTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "drift4j.name=classifier",
        "drift4j.model.location=classpath:drift4j-models/model.onnx",
        "drift4j.baseline.location=classpath:drift4j-models/baseline.json",
        "drift4j.monitor.expected-run-time=1000",
        "management.endpoints.web.exposure.include=health,prometheus,drift4j",
        "management.endpoint.health.show-details=always"})
class DriftTestApplicationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort
  int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void requestsReachTheMonitorAndHealthAndMetricsShowImagesAndAlarm() throws Exception {
    JsonNode health = json(get("/actuator/health/drift4j"));
    assertThat(health.path("status").asText()).isEqualTo("UP");
    assertThat(health.path("details").path("baselineImages").asInt()).isEqualTo(TestModels.BASELINE_IMAGES);

    int sent = 0;
    for (int size : new int[] {1, 32, 1}) {
      HttpResponse<String> reply = post("/classify", Requests.body(TestModels.blobImages(size, 100 + sent)));
      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
      assertThat(json(reply).path("images").asInt()).isEqualTo(size);
      sent += size;
    }
    String metrics = get("/actuator/prometheus").body();
    assertThat(Requests.meter(metrics, "drift4j_monitor_images_total")).isEqualTo(sent);
    assertThat(Requests.meter(metrics, "drift4j_monitor_observe_seconds_count")).isEqualTo(3);
    assertThat(Requests.meter(metrics, "drift4j_monitor_alarms_total")).isZero();
    assertThat(metrics).contains("drift4j_monitor_images_total{baseline=\"" + health.path("details").path("baseline")
        .asText() + "\",model=\"");
    assertThat(metrics).contains("name=\"classifier\"");

    List<byte[]> noise = TestModels.noiseImages(32, 7).stream().map(TestModels::png).toList();
    boolean alarm = false;
    for (int i = 0; i < 30 && !alarm; i++) {
      HttpResponse<String> reply = post("/classify", Requests.bodyOfPngs(noise));
      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
      alarm = json(reply).path("alarm").asBoolean();
      sent += 32;
    }
    assertThat(alarm).as("an alarm within 30 requests of 32 noise images").isTrue();

    HttpResponse<String> overall = get("/actuator/health");
    assertThat(overall.statusCode()).isEqualTo(200);
    JsonNode all = json(overall);
    assertThat(all.path("status").asText()).isEqualTo("DEGRADED");
    JsonNode drift4j = all.path("components").path("drift4j");
    assertThat(drift4j.path("status").asText()).isEqualTo("DEGRADED");
    assertThat(drift4j.path("details").path("alarmStands").asText()).startsWith("until ");
    metrics = get("/actuator/prometheus").body();
    double alarms = Requests.meter(metrics, "drift4j_monitor_alarms_total");
    assertThat(alarms).as("a restarted monitor may alarm several times in 32 noise images").isGreaterThanOrEqualTo(1);
    assertThat(drift4j.path("details").path("alarms").asDouble()).isEqualTo(alarms);
    assertThat(drift4j.path("details").path("lastAlarm").path("number").asDouble()).isEqualTo(alarms);
    assertThat(Requests.meter(metrics, "drift4j_monitor_images_total")).isEqualTo(sent);

    HttpResponse<String> reset = http.send(HttpRequest.newBuilder(uri("/actuator/drift4j"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
    assertThat(json(reset).path("status").asText()).isEqualTo("UP");
    assertThat(json(get("/actuator/health")).path("status").asText()).isEqualTo("UP");
  }

  @Test
  void aRequestWithoutImagesIsRefusedAndCountsNothing() throws Exception {
    double before = Requests.meter(get("/actuator/prometheus").body(), "drift4j_monitor_images_total");
    assertThat(post("/classify", "{\"images\": []}").statusCode()).isEqualTo(400);
    assertThat(Requests.meter(get("/actuator/prometheus").body(), "drift4j_monitor_images_total")).isEqualTo(before);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }
}
