package org.drift4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.Fakes;

/** Shared parts of the server's tests: a 4x4 grey model, recorded payloads and an HTTP client. */
final class TestServers {

  static final ImageShape SHAPE = ImageShape.grey(4, 4);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServers() {}

  /**
   * Errors uniform on [0, 1): with the blank fake, an image's error is the mean of its squared
   * pixels, so the fixtures' images (4 of 16 pixels at 1) have error 0.25.
   */
  static Baseline baseline() {
    return Baseline.of(new SplittableRandom(1).doubles(1_000).toArray(), ReconstructionError.MEAN_SQUARED_ERROR, SHAPE,
        "blank", Instant.EPOCH);
  }

  static DriftMonitor monitor() {
    return monitor(Fakes.blank(SHAPE));
  }

  static DriftMonitor monitor(Autoencoder autoencoder) {
    return DriftMonitor.builder(autoencoder, baseline())
        .config(DriftMonitorConfig.custom().expectedRunTime(200).build()).build();
  }

  static DriftDetector detector() {
    return DriftDetector.builder(Fakes.blank(SHAPE), baseline()).build();
  }

  /** A server of {@link #monitor()} and {@link #detector()} on a free loopback port. */
  static DriftServerBuilder server() {
    return DriftServer.builder(monitor()).detector(detector()).port(0).bind("127.0.0.1");
  }

  /** A recorded payload: the envelope of src/test/resources/payloads/NAME. */
  static JsonNode fixture(String name) {
    try (InputStream in = TestServers.class.getResourceAsStream("/payloads/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture's body bytes: {@code body_raw} as is, or {@code body} as JSON. */
  static byte[] body(JsonNode fixture) {
    if (fixture.has("body_raw")) {
      return fixture.get("body_raw").asText().getBytes(StandardCharsets.UTF_8);
    }
    return fixture.get("body").toString().getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, String> headers(JsonNode fixture) {
    Map<String, String> headers = new LinkedHashMap<>();
    fixture.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
    headers.remove("User-Agent");
    return headers;
  }

  static HttpResponse<String> send(DriftServer server, String method, String path, Map<String, String> headers,
      byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((k, v) -> {
      if (!v.isEmpty()) {
        request.header(k, v);
      }
    });
    return send(request.build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(DriftServer server, String path) {
    return send(server, "GET", path, Map.of(), null);
  }

  static HttpResponse<String> postJson(DriftServer server, String path, String json) {
    return send(server, "POST", path, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  /** A grey PNG of {@code width} x {@code height}, all pixels at {@code value}. */
  static byte[] png(int width, int height, int value) {
    return encoded("png", width, height, value);
  }

  /** A grey image in ImageIO's {@code format} ("png", "jpeg"), all pixels at {@code value}. */
  static byte[] encoded(String format, int width, int height, int value) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, value);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalArgumentException("ImageIO writes no " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The value of one sample in a Prometheus scrape, or NaN when no line starts with {@code series}. */
  static double sample(String scrape, String series) {
    return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
        l.substring(series.length() + 1).trim())).findFirst().orElse(Double.NaN);
  }
}
