package org.drift4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The JSON bodies the server answers with. Errors are the Open Inference Protocol's error object,
 * {@code {"error": "<message>"}}, with the rejection's {@code reason} beside it. Thread-safe.
 */
final class Replies {

  /** An HTTP reply: status, content type (or null), body and extra headers. Immutable. */
  static final class Reply {
    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Map<String, String> headers;

    Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
      this.headers = Map.copyOf(headers);
    }

    static Reply json(int status, ObjectNode node) {
      return new Reply(status, "application/json", bytes(node), Map.of());
    }

    static Reply empty(int status) {
      return new Reply(status, null, new byte[0], Map.of());
    }

    Reply withHeaders(Map<String, String> extra) {
      return new Reply(status, contentType, body, extra);
    }

    int status() {
      return status;
    }

    String contentType() {
      return contentType;
    }

    /** {@return the body, not copied: callers only send it} */
    byte[] body() {
      return body;
    }

    Map<String, String> headers() {
      return headers;
    }
  }

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Replies() {}

  static Reply error(RequestException e) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("error", e.getMessage());
    node.put("reason", e.reason().tag());
    return Reply.json(e.reason().status(), node);
  }

  /**
   * The Open Inference Protocol response: outputs {@code is_drift} (INT64 [1, 1]), {@code distance}
   * and {@code threshold} (FP64 [1, 1]), {@code p_val} for a detector, and per image
   * {@code image_error}, {@code image_p_val} (FP64 [N]) and {@code outlier} (BOOL [N]); the
   * observation's or report's own JSON under {@code drift4j}.
   */
  static ObjectNode inferResponse(String modelName, String id, Verdict v) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("model_name", modelName);
    if (id != null) {
      node.put("id", id);
    }
    ArrayNode outputs = node.putArray("outputs");
    scalar(outputs, "is_drift", "INT64").add(v.drift() ? 1 : 0);
    add(scalar(outputs, "distance", "FP64"), v.distance());
    add(scalar(outputs, "threshold", "FP64"), v.threshold());
    if (!Double.isNaN(v.pValue())) {
      scalar(outputs, "p_val", "FP64").add(v.pValue());
    }
    ArrayNode errors = vector(outputs, "image_error", "FP64", v.size());
    for (double e : v.errors()) {
      errors.add(e);
    }
    ArrayNode pValues = vector(outputs, "image_p_val", "FP64", v.size());
    for (double p : v.imagePValues()) {
      pValues.add(p);
    }
    ArrayNode outliers = vector(outputs, "outlier", "BOOL", v.size());
    for (boolean o : v.outliers()) {
      outliers.add(o);
    }
    node.putRawValue("drift4j", new RawValue(v.json()));
    return node;
  }

  private static ArrayNode scalar(ArrayNode outputs, String name, String datatype) {
    ObjectNode o = outputs.addObject();
    o.put("name", name);
    o.put("datatype", datatype);
    o.putArray("shape").add(1).add(1);
    return o.putArray("data");
  }

  private static ArrayNode vector(ArrayNode outputs, String name, String datatype, int n) {
    ObjectNode o = outputs.addObject();
    o.put("name", name);
    o.put("datatype", datatype);
    o.putArray("shape").add(n);
    return o.putArray("data");
  }

  /**
   * The data of a CloudEvent reply, shaped as alibi-detect's server's: {@code {"data": {"is_drift",
   * "distance", "p_val", "threshold", ...}, "meta": {"name", "detector_type", "data_type", ...}}};
   * {@code p_val} is null for a monitor. Drift4j's own result is under {@code data.drift4j}.
   */
  static ObjectNode cloudEventData(Verdict v, String version) {
    ObjectNode node = MAPPER.createObjectNode();
    ObjectNode data = node.putObject("data");
    data.put("is_drift", v.drift() ? 1 : 0);
    put(data, "distance", v.distance());
    if (Double.isNaN(v.pValue())) {
      data.putNull("p_val");
    } else {
      data.put("p_val", v.pValue());
    }
    put(data, "threshold", v.threshold());
    data.putRawValue("drift4j", new RawValue(v.json()));
    ObjectNode meta = node.putObject("meta");
    meta.put("name", "Drift4j" + v.source());
    meta.put("detector_type", "drift");
    meta.put("online", v.source().equals("DriftMonitor"));
    meta.put("data_type", "image");
    meta.put("version", version);
    return node;
  }

  /** JSON has no NaN or infinity: a non-finite number is written as null. */
  static void put(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }

  private static void add(ArrayNode array, double value) {
    if (Double.isFinite(value)) {
      array.add(value);
    } else {
      array.addNull();
    }
  }

  static ObjectNode flag(String name, boolean value) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put(name, value);
    return node;
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise a reply", e);
    }
  }
}
