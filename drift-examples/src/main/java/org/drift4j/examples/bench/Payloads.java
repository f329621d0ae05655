package org.drift4j.examples.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Open Inference Protocol v2 bodies for the load test: valid FP32 batches and malformed ones. */
final class Payloads {

  private Payloads() {}

  /** {@code variants} distinct bodies of {@code batch} 28x28 grey images each, cycling through {@code images}. */
  static List<ServeLoad.Body> valid(List<float[]> images, int batch, int variants) {
    List<ServeLoad.Body> bodies = new ArrayList<>();
    int next = 0;
    for (int v = 0; v < variants; v++) {
      StringBuilder json = new StringBuilder("{\"id\": \"bench-").append(v).append("\", \"inputs\": [{\"name\":"
          + " \"images\", \"shape\": [").append(batch).append(", 1, 28, 28], \"datatype\": \"FP32\", \"data\": [");
      for (int i = 0; i < batch; i++) {
        float[] image = images.get(next++ % images.size());
        for (int p = 0; p < image.length; p++) {
          if (i > 0 || p > 0) {
            json.append(',');
          }
          float x = image[p];
          json.append(x == 0 ? "0" : Float.toString(x));
        }
      }
      json.append("]}]}");
      bodies.add(new ServeLoad.Body(json.toString().getBytes(StandardCharsets.UTF_8), batch, null));
    }
    return bodies;
  }

  /** Malformed bodies, each with the reason the server should give: truncated JSON, wrong shape, bad pixels. */
  static List<ServeLoad.Body> malformed(int batch) {
    String zeros = "0,".repeat(3 * 28 * 28 - 1) + "0";
    String wrongShape = "{\"inputs\": [{\"name\": \"images\", \"shape\": [1, 3, 28, 28], \"datatype\": \"FP32\","
        + " \"data\": [" + zeros + "]}]}";
    String badPixels = "{\"inputs\": [{\"name\": \"images\", \"shape\": [1, 784], \"datatype\": \"FP32\", \"data\": ["
        + "0,".repeat(783) + "255]}]}";
    String full = new String(valid(List.of(new float[784]), batch, 1).get(0).bytes(), StandardCharsets.UTF_8);
    String truncated = full.substring(0, full.length() / 2);
    return List.of(new ServeLoad.Body(truncated.getBytes(StandardCharsets.UTF_8), 0, "malformed"),
        new ServeLoad.Body(wrongShape.getBytes(StandardCharsets.UTF_8), 0, "wrong_shape"),
        new ServeLoad.Body(badPixels.getBytes(StandardCharsets.UTF_8), 0, "invalid_pixels"));
  }
}
