package org.drift4j;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The library's JSON mapping. */
final class Json {

  /**
   * Shared, configured once (ObjectMapper is thread-safe after configuration); a key that occurs
   * twice in an object is refused, not silently won by the last.
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(SerializationFeature.INDENT_OUTPUT)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  /** A report as a JSON tree. */
  static ObjectNode report(DriftReport r) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("drift", r.drift());
    node.put("policy", r.policy());
    putNumber(node, "statistic", r.decision().statistic());
    putNumber(node, "pValue", r.decision().pValue());
    putNumber(node, "threshold", r.decision().threshold());
    node.put("detail", r.decision().detail());
    node.put("size", r.batchSize());
    node.put("meanError", r.batchMeanError());
    node.put("baselineMeanError", r.baselineMeanError());
    node.put("relativeIncrease", r.relativeIncrease());
    node.put("outliers", r.outlierCount());
    node.put("outlierQuantile", r.outlierQuantile());
    node.put("outlierThreshold", r.outlierThreshold());
    node.put("errorMeasure", r.errorMeasure().name());
    var errors = node.putArray("errors");
    for (double e : r.errors()) {
      errors.add(e);
    }
    var pValues = node.putArray("imagePValues");
    for (double p : r.imagePValues()) {
      pValues.add(p);
    }
    var flags = node.putArray("outlierFlags");
    for (boolean o : r.outliers()) {
      flags.add(o);
    }
    node.put("baselineId", r.baselineId());
    node.put("autoencoderFingerprint", r.autoencoderFingerprint());
    node.put("timestamp", r.timestamp().toString());
    node.put("durationMillis", r.duration().toNanos() / 1e6);
    return node;
  }

  /** Puts a number, or null when it is NaN or infinite (JSON has neither). */
  static void putNumber(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}
