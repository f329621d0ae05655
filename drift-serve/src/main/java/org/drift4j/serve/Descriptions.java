package org.drift4j.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.drift4j.Baseline;
import org.drift4j.DriftMonitor;
import org.drift4j.ImageShape;
import org.drift4j.MonitorStatus;

/**
 * What the server says about itself: {@code /v1/status}, the Open Inference Protocol's server
 * and model metadata and readiness, and the Prometheus scrape. Thread-safe.
 */
final class Descriptions {

  private final Routes.Settings settings;
  private final Judge judge;
  private final SnapshotKeeper snapshots;
  private final PrometheusMeterRegistry registry;
  private final ObjectNode limits;

  Descriptions(Routes.Settings settings, Judge judge, SnapshotKeeper snapshots, PrometheusMeterRegistry registry,
      long maxRequestBytes, long maxImagePixels) {
    this.settings = settings;
    this.judge = judge;
    this.snapshots = snapshots;
    this.registry = registry;
    this.limits = Replies.MAPPER.createObjectNode();
    limits.put("maxRequestBytes", maxRequestBytes);
    limits.put("maxImages", settings.maxImages());
    limits.put("maxImagePixels", maxImagePixels);
  }

  String scrape() {
    return registry.scrape();
  }

  ObjectNode status(boolean ready) {
    Baseline baseline = judge.baseline();
    ObjectNode node = Replies.MAPPER.createObjectNode();
    node.put("name", settings.modelName());
    node.put("ready", ready);
    node.put("version", settings.version());
    ObjectNode model = node.putObject("model");
    model.put("fingerprint", baseline.autoencoderFingerprint());
    model.put("shape", baseline.shape().toString());
    model.put("preprocessing", baseline.preprocessing().id());
    ObjectNode b = node.putObject("baseline");
    b.put("id", baseline.id());
    b.put("images", baseline.count());
    b.put("errorMeasure", baseline.errorMeasure().name());
    b.put("createdAt", baseline.createdAt().toString());
    DriftMonitor monitor = judge.monitor();
    if (monitor == null) {
      node.putNull("monitor");
    } else {
      MonitorStatus s = monitor.status();
      ObjectNode m = node.putObject("monitor");
      m.put("images", s.images());
      m.put("imagesSinceRestart", s.imagesSinceRestart());
      m.put("alarms", s.alarms());
      m.put("latched", s.latched());
      Replies.put(m, "statistic", s.statistic());
      Replies.put(m, "threshold", s.threshold());
      Replies.put(m, "level", s.level());
      m.put("leading", s.leading());
      m.put("changePoint", s.changePoint());
      m.put("expectedRunTime", monitor.config().expectedRunTime());
      m.put("confidence", monitor.config().confidence());
      m.put("afterAlarm", monitor.config().afterAlarm().name());
      s.lastAlarm().ifPresentOrElse(a -> m.putRawValue("lastAlarm", new RawValue(a.toJson())), () -> m.putNull("lastAlarm"));
    }
    if (judge.detector() == null) {
      node.putNull("detector");
    } else {
      node.putObject("detector").put("policy", judge.detector().config().policy().name());
    }
    if (snapshots == null) {
      node.putNull("snapshot");
    } else {
      ObjectNode sn = node.putObject("snapshot");
      sn.put("file", snapshots.file().toString());
      sn.put("atStart", snapshots.restored());
      sn.put("lastWrittenImages", snapshots.writtenImages());
      if (snapshots.writtenAt() == null) {
        sn.putNull("lastWrittenAt");
      } else {
        sn.put("lastWrittenAt", snapshots.writtenAt().toString());
      }
      sn.put("failures", snapshots.failures());
    }
    node.set("limits", limits.deepCopy());
    return node;
  }

  ObjectNode serverMetadata() {
    ObjectNode node = Replies.MAPPER.createObjectNode();
    node.put("name", "drift4j");
    node.put("version", settings.version());
    node.putArray("extensions");
    return node;
  }

  ObjectNode modelMetadata() {
    ImageShape shape = judge.baseline().shape();
    ObjectNode node = Replies.MAPPER.createObjectNode();
    node.put("name", settings.modelName());
    node.put("platform", "drift4j");
    ArrayNode inputs = node.putArray("inputs");
    ObjectNode images = inputs.addObject();
    images.put("name", "images");
    images.put("datatype", "FP32");
    images.putArray("shape").add(-1).add(shape.channels()).add(shape.height()).add(shape.width());
    ArrayNode outputs = node.putArray("outputs");
    tensor(outputs, "is_drift", "INT64", 1, 1);
    tensor(outputs, "distance", "FP64", 1, 1);
    tensor(outputs, "threshold", "FP64", 1, 1);
    if (judge.monitor() == null) {
      tensor(outputs, "p_val", "FP64", 1, 1);
    }
    tensor(outputs, "image_error", "FP64", -1);
    tensor(outputs, "image_p_val", "FP64", -1);
    tensor(outputs, "outlier", "BOOL", -1);
    return node;
  }

  private static void tensor(ArrayNode outputs, String name, String datatype, int... shape) {
    ObjectNode t = outputs.addObject();
    t.put("name", name);
    t.put("datatype", datatype);
    ArrayNode s = t.putArray("shape");
    for (int d : shape) {
      s.add(d);
    }
  }

  ObjectNode modelReady(boolean ready) {
    ObjectNode node = Replies.MAPPER.createObjectNode();
    node.put("name", settings.modelName());
    node.put("ready", ready);
    return node;
  }
}
