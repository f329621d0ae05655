package org.drift4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.drift4j.serve.TestServers.body;
import static org.drift4j.serve.TestServers.fixture;
import static org.drift4j.serve.TestServers.get;
import static org.drift4j.serve.TestServers.headers;
import static org.drift4j.serve.TestServers.json;
import static org.drift4j.serve.TestServers.postJson;
import static org.drift4j.serve.TestServers.send;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protocols, spoken to a server on a loopback port with recorded payloads. */
class DriftServerTest {

  private static DriftServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.server().modelName("mnist").maxImages(8).maxRequestBytes(64 * 1024).build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> replay(String name) {
    JsonNode f = fixture(name);
    return send(server, f.path("method").asText("POST"), f.path("path").asText(), headers(f), body(f));
  }

  @Test
  void aV2Fp32RequestIsObservedAndAnsweredInTheOpenInferenceProtocol() {
    HttpResponse<String> response = replay("02-v2-infer-request-fp32.json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = json(response);
    assertThat(body.path("model_name").asText()).isEqualTo("mnist");
    assertThat(body.path("id").asText()).isEqualTo("d3b15cad-50a2-4eaf-80ce-8b0a428bd298");
    JsonNode outputs = body.path("outputs");
    assertThat(outputs.get(0).path("name").asText()).isEqualTo("is_drift");
    assertThat(outputs.get(0).path("datatype").asText()).isEqualTo("INT64");
    assertThat(outputs.get(0).path("data").get(0).asInt()).isZero();
    assertThat(outputs.findValuesAsText("name")).containsExactly("is_drift", "distance", "threshold", "image_error",
        "image_p_val", "outlier");
    assertThat(outputs.get(3).path("data").get(0).asDouble()).isEqualTo(0.25);
    assertThat(body.path("drift4j").path("size").asInt()).isEqualTo(1);
  }

  @Test
  void aV2Uint8RequestWithFlatNhwcDataIsReadAtTheVersionedPath() {
    HttpResponse<String> response = replay("03-v2-infer-request-uint8.json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode errors = json(response).path("outputs").get(3);
    assertThat(errors.path("shape").get(0).asInt()).isEqualTo(2);
    assertThat(errors.path("data").get(0).asDouble()).isEqualTo(0.25);
    assertThat(errors.path("data").get(1).asDouble()).isEqualTo(0.25);
  }

  @Test
  void aV1InstancesBodyIsReadAsHwcImages() {
    JsonNode f = fixture("01-v1-predict-request.json");
    HttpResponse<String> response = send(server, "POST", "/v2/models/mnist/infer", headers(f), body(f));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("outputs").get(3).path("data").get(1).asDouble()).isEqualTo(0.25);
  }

  @Test
  void aV1Base64PngInstanceIsDecoded() {
    JsonNode f = fixture("01b-v1-predict-request-b64.json");
    HttpResponse<String> response = send(server, "POST", "/v2/models/mnist/infer", headers(f), body(f));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("drift4j").path("size").asInt()).isEqualTo(1);
  }

  @Test
  void aKServeLoggerRequestEventIsAnsweredWithADriftCloudEventCarryingItsIdAndExtensions() {
    HttpResponse<String> response = replay("04-kserve-logger-cloudevent-request.json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("ce-specversion")).hasValue("1.0");
    assertThat(response.headers().firstValue("ce-id")).hasValue("0009174a-24a8-4603-b098-09c8799950e9");
    assertThat(response.headers().firstValue("ce-type")).hasValue("io.seldon.serving.inference.drift");
    assertThat(response.headers().firstValue("ce-source")).hasValue("org.drift4j.serve.mnist");
    assertThat(response.headers().firstValue("ce-inferenceservicename")).hasValue("mnist");
    assertThat(response.headers().firstValue("ce-namespace")).hasValue("default");
    assertThat(response.headers().firstValue("ce-metadata")).hasValue("{}");
    assertThat(response.headers().firstValue("traceparent"))
        .hasValue("00-90bdf848647d50283394155d2df58f19-84dacdfdf07cadfc-00");
    assertThat(response.headers().firstValue("ce-time")).isEmpty();
    assertThat(response.headers().firstValue("ce-recordedtime")).hasValue("2026-11-20T10:15:02.079101200Z");
    JsonNode body = json(response);
    // the shape of alibi-detect's drift replies (payloads/06)
    JsonNode alibi = fixture("06-alibi-detect-drift-cloudevent-reply.json").path("no_drift").path("body");
    assertThat(body.path("data").fieldNames()).toIterable().containsAll(() -> alibi.path("data").fieldNames());
    assertThat(body.path("meta").fieldNames()).toIterable().containsAll(() -> alibi.path("meta").fieldNames());
    assertThat(body.path("data").path("is_drift").asInt()).isZero();
    assertThat(body.path("data").path("p_val").isNull()).isTrue();
    assertThat(body.path("meta").path("name").asText()).isEqualTo("Drift4jDriftMonitor");
    assertThat(body.path("data").path("drift4j").path("errors").get(0).asDouble()).isEqualTo(0.25);
  }

  @Test
  void aLoggerResponseEventIsAcknowledgedWithAnEmptyReplyAndNotScored() {
    long before = json(get(server, "/v1/status")).path("monitor").path("images").asLong();
    HttpResponse<String> response = replay("04b-kserve-logger-cloudevent-response.json");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("ce-id")).isEmpty();
    assertThat(get(server, "/metrics").body())
        .contains("drift4j_serve_events_ignored_total{kind=\"response\",name=\"mnist\"}");
    assertThat(json(get(server, "/v1/status")).path("monitor").path("images").asLong()).isEqualTo(before);
  }

  @Test
  void anEventWithoutSpecVersionIsRefusedNamingTheHeader() {
    HttpResponse<String> response = postJson(server, "/", "{\"instances\": []}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").asText()).contains("ce-specversion is missing");
    assertThat(json(response).path("reason").asText()).isEqualTo("invalid_cloudevent");
  }

  @Test
  void malformedJsonIsA400WithTheParsersReason() {
    HttpResponse<String> response = postJson(server, "/v2/models/mnist/infer", "{\"inputs\": [{\"name\": ");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").asText()).startsWith("the body is not valid JSON");
    assertThat(json(response).path("reason").asText()).isEqualTo("malformed");
  }

  @Test
  void aNonListInputsIsRefusedAsKServeDoes() {
    HttpResponse<String> response = postJson(server, "/v2/models/mnist/infer", "{\"inputs\": {}}");
    assertThat(response.statusCode()).isEqualTo(400);
    // payloads/05: KServe's own message
    String kserve = fixture("05-v2-error-response.json").path("examples").get(0).path("body").path("error").asText();
    assertThat(json(response).path("error").asText()).startsWith(kserve);
  }

  @Test
  void aTensorOfAnotherShapeIsA422NamingExpectedAndFound() {
    HttpResponse<String> response = postJson(server, "/v2/models/mnist/infer", "{\"inputs\": [{\"name\": \"x\","
        + " \"shape\": [1, 3, 2, 2], \"datatype\": \"FP32\", \"data\": [0,0,0,0,0,0,0,0,0,0,0,0]}]}");
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(json(response).path("error").asText()).isEqualTo("input 'x' has shape [1, 3, 2, 2], but the model takes"
        + " images of 1x4x4 (channels x height x width): expected [N, 1, 4, 4] (NCHW) or [N, 4, 4, 1] (NHWC),"
        + " [N, 4, 4] or [N, 16]");
    assertThat(json(response).path("reason").asText()).isEqualTo("wrong_shape");
  }

  @Test
  void moreImagesThanTheLimitIsA413NamingTheLimit() {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < 9 * 16; i++) {
      data.append(i == 0 ? "0" : ",0");
    }
    HttpResponse<String> response = postJson(server, "/v2/models/mnist/infer", "{\"inputs\": [{\"name\": \"x\","
        + " \"shape\": [9, 16], \"datatype\": \"UINT8\", \"data\": [" + data + "]}]}");
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).path("error").asText()).contains("at most 8 images are accepted per request");
    assertThat(json(response).path("reason").asText()).isEqualTo("too_many_images");
  }

  @Test
  void aBodyLongerThanTheLimitIsA413NamingTheLimit() {
    byte[] big = new byte[64 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpResponse<String> response = send(server, "POST", "/v2/models/mnist/infer",
        Map.of("Content-Type", "application/json"), big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).path("error").asText()).isEqualTo("the body must be at most 65536 bytes, but was 65537 bytes");
  }

  @Test
  void aChunkedBodyLongerThanTheLimitIsA413AsItIsRead() {
    byte[] big = new byte[64 * 1024 + 100];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("v2/models/mnist/infer"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
    HttpResponse<String> response = TestServers.send(request);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).path("error").asText())
        .isEqualTo("the body must be at most 65536 bytes, but was more than 65536 bytes");
    assertThat(json(response).path("reason").asText()).isEqualTo("too_large");
  }

  @Test
  void aMultipartBodyOfMorePartsThanTheImageLimitIsA413NamingTheLimit() {
    byte[][] pngs = new byte[9][];
    java.util.Arrays.fill(pngs, TestServers.png(4, 4, 0));
    HttpResponse<String> response = send(server, "POST", "/v1/observe",
        Map.of("Content-Type", "multipart/form-data; boundary=b0undary"), Multipart.of("b0undary", pngs));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).path("error").asText())
        .isEqualTo("the request holds 9 parts, but at most 8 images are accepted per request");
    assertThat(json(response).path("reason").asText()).isEqualTo("too_many_images");
  }

  @Test
  void anImageOfMorePixelsThanTheLimitIsA413BeforeItIsDecoded() throws Exception {
    try (DriftServer small = TestServers.server().maxImagePixels(15).build().start()) {
      HttpResponse<String> response = send(small, "POST", "/v1/observe", Map.of("Content-Type", "image/png"),
          TestServers.png(4, 4, 0));
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(json(response).path("error").asText())
          .isEqualTo("the body is 4x4 pixels, but at most 15 pixels per image are accepted");
    }
  }

  @Test
  void aJpegIsObserved() {
    HttpResponse<String> response = send(server, "POST", "/v1/observe", Map.of("Content-Type", "image/jpeg"),
        TestServers.encoded("jpeg", 4, 4, 0));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("size").asInt()).isEqualTo(1);
    assertThat(json(response).path("errors").get(0).asDouble()).isZero();
  }

  @Test
  void pixelsOutsideTheDatatypesRangeAreRefusedNamingTheValue() {
    HttpResponse<String> response = postJson(server, "/v2/models/mnist/infer", "{\"inputs\": [{\"name\": \"x\","
        + " \"shape\": [1, 16], \"datatype\": \"FP32\", \"data\": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,255]}]}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").asText()).isEqualTo("input 'x' value 15 (image 0) must be a value in [0, 1]"
        + " (FP32; send 0-255 pixels as UINT8), but was 255.0");
  }

  @Test
  void anUnknownModelIsA404InKServesWords() {
    HttpResponse<String> response = postJson(server, "/v2/models/cifar/infer", "{}");
    assertThat(response.statusCode()).isEqualTo(404);
    String kserve = fixture("05-v2-error-response.json").path("examples").get(1).path("body").path("error").asText();
    assertThat(json(response).path("error").asText()).isEqualTo(kserve.replace("mnist", "cifar"));
  }

  @Test
  void anUnknownPathIsA404ListingTheEndpoints() {
    HttpResponse<String> response = get(server, "/v3/anything");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).path("error").asText()).startsWith("no endpoint GET /v3/anything; the endpoints are");
  }

  @Test
  void theWrongMethodIsA405WithAllow() {
    HttpResponse<String> response = get(server, "/v2/models/mnist/infer");
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    assertThat(json(response).path("error").asText()).isEqualTo("/v2/models/mnist/infer takes POST, not GET");
  }

  @Test
  void aPngIsObservedAndCheckedAndAMultipartBodyGivesOneImagePerPart() {
    HttpResponse<String> one = send(server, "POST", "/v1/observe", Map.of("Content-Type", "image/png"),
        TestServers.png(4, 4, 0));
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    assertThat(json(one).path("size").asInt()).isEqualTo(1);
    assertThat(json(one).path("errors").get(0).asDouble()).isZero();
    String boundary = "drift4jboundary";
    byte[] multipart = Multipart.of(boundary, TestServers.png(4, 4, 255), TestServers.png(4, 4, 0));
    HttpResponse<String> two = send(server, "POST", "/v1/check",
        Map.of("Content-Type", "multipart/form-data; boundary=" + boundary), multipart);
    assertThat(two.statusCode()).as(two.body()).isEqualTo(200);
    assertThat(json(two).path("size").asInt()).isEqualTo(2);
    assertThat(json(two).path("pValue").isNumber()).isTrue();
  }

  @Test
  void anImageOfAnotherSizeIsA422AndTextIsA415() {
    HttpResponse<String> wrong = send(server, "POST", "/v1/observe", Map.of("Content-Type", "image/png"),
        TestServers.png(5, 4, 0));
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(json(wrong).path("error").asText()).startsWith("image 0 must be 4x4 (width x height), but was 5x4");
    HttpResponse<String> text = send(server, "POST", "/v1/observe", Map.of("Content-Type", "text/plain"),
        "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(text.statusCode()).isEqualTo(415);
    HttpResponse<String> garbage = send(server, "POST", "/v1/observe", Map.of("Content-Type", "image/png"),
        "not a png".getBytes(StandardCharsets.UTF_8));
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(json(garbage).path("error").asText()).startsWith("the body is not an image ImageIO can read");
  }

  @Test
  void healthStatusAndMetadataAnswerOnTheirPaths() {
    assertThat(json(get(server, "/health/live")).path("live").asBoolean()).isTrue();
    assertThat(json(get(server, "/health/ready")).path("ready").asBoolean()).isTrue();
    assertThat(get(server, "/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(json(get(server, "/v2/models/mnist/ready")).path("ready").asBoolean()).isTrue();
    JsonNode metadata = json(get(server, "/v2/models/mnist"));
    assertThat(metadata.path("inputs").get(0).path("shape").toString()).isEqualTo("[-1,1,4,4]");
    assertThat(json(get(server, "/v2")).path("name").asText()).isEqualTo("drift4j");
    JsonNode status = json(get(server, "/v1/status"));
    assertThat(status.path("baseline").path("id").asText()).isEqualTo(TestServers.baseline().id());
    assertThat(status.path("model").path("fingerprint").asText()).isEqualTo("blank");
    assertThat(status.path("monitor").path("expectedRunTime").asLong()).isEqualTo(200);
    assertThat(status.path("detector").path("policy").asText()).isNotEmpty();
  }

  @Test
  void metricsCountImagesAndRejectionsByReasonInPrometheusText() {
    String before = get(server, "/metrics").body();
    postJson(server, "/v2/models/mnist/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 16], \"datatype\":"
        + " \"UINT8\", \"data\": [" + "0,".repeat(31) + "0]}]}");
    postJson(server, "/v2/models/mnist/infer", "not json");
    HttpResponse<String> scrape = get(server, "/metrics");
    assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
    String after = scrape.body();
    String images = after.lines().filter(l -> l.startsWith("drift4j_monitor_images_total{")).findFirst().orElseThrow();
    String series = images.substring(0, images.lastIndexOf(' '));
    String malformed = "drift4j_serve_rejected_total{name=\"mnist\",reason=\"malformed\"}";
    assertThat(TestServers.sample(after, series) - zeroIfAbsent(TestServers.sample(before, series))).isEqualTo(2);
    assertThat(TestServers.sample(after, malformed) - TestServers.sample(before, malformed)).isEqualTo(1);
    assertThat(after).contains("drift4j_serve_requests_seconds_count{endpoint=\"infer\",name=\"mnist\",status=\"200\"}");
  }

  private static double zeroIfAbsent(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
