package org.drift4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link DriftMonitor#observe} call scored and where the monitor stands after it: each
 * image's error, p-value and outlier flag (what a request handler logs), the alarms these images
 * raised, and the monitor's status.
 *
 * <p>Immutable and thread-safe: array accessors return copies.
 */
public final class MonitorObservation {

  private final long firstImage;
  private final double[] errors;
  private final double[] imagePValues;
  private final boolean[] outliers;
  private final List<DriftAlarm> alarms;
  private final MonitorStatus status;
  private final Instant timestamp;
  private final Duration duration;

  MonitorObservation(long firstImage, double[] errors, double[] imagePValues, boolean[] outliers,
      List<DriftAlarm> alarms, MonitorStatus status, Instant timestamp, Duration duration) {
    this.firstImage = firstImage;
    this.errors = errors;
    this.imagePValues = imagePValues;
    this.outliers = outliers;
    this.alarms = List.copyOf(alarms);
    this.status = Objects.requireNonNull(status);
    this.timestamp = timestamp;
    this.duration = duration;
  }

  /**
   * {@return the 0-based stream index of this call's first image; its images follow in batch
   * order, so image i of the batch is stream image {@code firstImage() + i}}
   */
  public long firstImage() {
    return firstImage;
  }

  /** {@return the number of images observed} */
  public int size() {
    return errors.length;
  }

  /** {@return the per-image errors, in batch order (a copy)} */
  public double[] errors() {
    return errors.clone();
  }

  /** {@return the per-image conformal upper-tail p-values against the baseline, in batch order (a copy)} */
  public double[] imagePValues() {
    return imagePValues.clone();
  }

  /** {@return the per-image outlier flags: error beyond the baseline's outlier quantile (a copy)} */
  public boolean[] outliers() {
    return outliers.clone();
  }

  /** {@return the number of images flagged as outliers} */
  public int outlierCount() {
    int count = 0;
    for (boolean o : outliers) {
      count += o ? 1 : 0;
    }
    return count;
  }

  /** {@return the alarms these images raised, in stream order (usually none)} */
  public List<DriftAlarm> alarms() {
    return alarms;
  }

  /** {@return whether these images raised an alarm} */
  public boolean alarm() {
    return !alarms.isEmpty();
  }

  /** {@return the monitor's status after these images} */
  public MonitorStatus status() {
    return status;
  }

  /** {@return when the observation finished, from the monitor's clock} */
  public Instant timestamp() {
    return timestamp;
  }

  /** {@return the time the call took: scoring, the monitor's update and building this result} */
  public Duration duration() {
    return duration;
  }

  /** {@return this observation as a JSON object} */
  public String toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("firstImage", firstImage);
    node.put("size", errors.length);
    node.put("alarm", alarm());
    ArrayNode alarmNodes = node.putArray("alarms");
    alarms.forEach(a -> alarmNodes.add(a.tree()));
    ArrayNode e = node.putArray("errors");
    for (double v : errors) {
      e.add(v);
    }
    ArrayNode p = node.putArray("imagePValues");
    for (double v : imagePValues) {
      p.add(v);
    }
    ArrayNode o = node.putArray("outlierFlags");
    for (boolean v : outliers) {
      o.add(v);
    }
    ObjectNode s = node.putObject("status");
    s.put("images", status.images());
    s.put("imagesSinceRestart", status.imagesSinceRestart());
    s.put("alarms", status.alarms());
    s.put("latched", status.latched());
    Json.putNumber(s, "statistic", status.statistic());
    Json.putNumber(s, "threshold", status.threshold());
    Json.putNumber(s, "level", status.level());
    s.put("leading", status.leading());
    s.put("changePoint", status.changePoint());
    node.put("timestamp", timestamp.toString());
    node.put("durationMillis", duration.toNanos() / 1e6);
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("could not serialise an observation", ex);
    }
  }

  @Override
  public String toString() {
    return "MonitorObservation[images " + firstImage + ".." + (firstImage + errors.length - 1) + ", " + status
        + (alarm() ? ", " + alarms.size() + " alarm(s)" : "") + "]";
  }
}
