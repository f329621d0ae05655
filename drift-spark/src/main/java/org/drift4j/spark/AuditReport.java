package org.drift4j.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.drift4j.Baseline;

/**
 * An audit's findings, collected on the driver: per group, the policy's decision and the
 * monitor's alarms, and the malformed images; {@link #toJson()} is the report file's content.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuditReport {

  /** The report's {@code format} field. */
  public static final String FORMAT = "drift4j-spark-audit";

  /** The report's {@code version} field. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One group's findings.
   *
   * @param key the group columns' values, in group-by order
   * @param images images scored
   * @param malformed images that could not be scored
   * @param meanError their mean error (NaN without images)
   * @param testedImages how many of them the policy tested
   * @param drift the policy's decision (null without images)
   * @param pValue its p-value (null without images, or for a policy without one)
   * @param statistic its statistic (null without images)
   * @param detail what drove it (null without images)
   * @param alarms the monitor's alarms, in order
   * @param problems the malformed images listed
   */
  public record Group(Map<String, Object> key, long images, long malformed, double meanError, int testedImages,
      Boolean drift, Double pValue, Double statistic, String detail, List<Alarm> alarms, List<Problem> problems) {

    /**
     * Copies the lists.
     *
     * @param key the group's key
     * @param images images scored
     * @param malformed images not scored
     * @param meanError mean error
     * @param testedImages images tested
     * @param drift the decision
     * @param pValue the p-value
     * @param statistic the statistic
     * @param detail the detail
     * @param alarms the alarms
     * @param problems the problems
     */
    public Group {
      Objects.requireNonNull(key, "key");
      alarms = List.copyOf(alarms);
      problems = List.copyOf(problems);
    }

    /** {@return whether the policy found drift or the monitor alarmed} */
    public boolean flagged() {
      return Boolean.TRUE.equals(drift) || !alarms.isEmpty();
    }
  }

  /**
   * A monitor alarm within a group.
   *
   * @param number 1-based count within the group
   * @param image 0-based index, in the group's order, of the image that raised it
   * @param at that image's order value
   * @param changePoint index of the image where the change was estimated to begin
   * @param changeAt that image's order value
   * @param changeId that image's id (null without an id column)
   * @param cause what the stream looked like, e.g. "errors up (AUC 0.75)"
   * @param statistic the monitor's statistic
   * @param threshold the threshold it reached
   * @param windowMeanError the mean error since the change point
   * @param outlierShare the share of outliers since the change point
   */
  public record Alarm(long number, long image, Object at, long changePoint, Object changeAt, String changeId,
      String cause, double statistic, double threshold, double windowMeanError, double outlierShare) {}

  /**
   * A malformed image.
   *
   * @param id its id (the path of a {@code binaryFile} source), or null
   * @param problem what is wrong with it
   */
  public record Problem(String id, String problem) {}

  private final SparkDriftAudit audit;
  private final String orderBy;
  private final List<Group> groups;

  AuditReport(SparkDriftAudit audit, String orderBy, List<Group> groups) {
    this.audit = audit;
    this.orderBy = orderBy;
    this.groups = List.copyOf(groups);
  }

  /** {@return every group, in the order of their keys} */
  public List<Group> groups() {
    return groups;
  }

  /** {@return the groups the policy found drifted or the monitor alarmed on} */
  public List<Group> flagged() {
    return groups.stream().filter(Group::flagged).toList();
  }

  /** {@return the images scored, over all groups} */
  public long images() {
    return groups.stream().mapToLong(Group::images).sum();
  }

  /** {@return the malformed images, over all groups} */
  public long malformed() {
    return groups.stream().mapToLong(Group::malformed).sum();
  }

  /** {@return the report as indented JSON} */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    Baseline b = audit.baseline();
    ObjectNode baseline = root.putObject("baseline");
    baseline.put("id", b.id());
    baseline.put("count", b.count());
    baseline.put("errorMeasure", b.errorMeasure().name());
    baseline.put("autoencoderFingerprint", b.autoencoderFingerprint());
    baseline.put("preprocessing", b.preprocessing().id());
    baseline.put("meanError", b.mean());
    root.put("policy", audit.policyName());
    root.put("maxTestImages", audit.maxTestImages());
    ObjectNode monitor = root.putObject("monitor");
    monitor.put("expectedRunTime", audit.monitorConfig().expectedRunTime());
    monitor.put("confidence", audit.monitorConfig().confidence());
    ArrayNode groupBy = root.putArray("groupBy");
    audit.groupBy().forEach(groupBy::add);
    root.put("orderBy", orderBy);
    root.put("images", images());
    root.put("malformed", malformed());
    root.put("groupCount", groups.size());
    ArrayNode flagged = root.putArray("flaggedGroups");
    flagged().forEach(g -> flagged.add(key(g)));
    ArrayNode all = root.putArray("groups");
    for (Group g : groups) {
      ObjectNode node = all.addObject();
      node.set("key", key(g));
      node.put("images", g.images());
      node.put("malformed", g.malformed());
      putNumber(node, "meanError", g.meanError());
      node.put("testedImages", g.testedImages());
      if (g.drift() == null) {
        node.putNull("drift");
      } else {
        node.put("drift", g.drift());
      }
      putNumber(node, "pValue", g.pValue());
      putNumber(node, "statistic", g.statistic());
      node.put("detail", g.detail());
      ArrayNode alarms = node.putArray("alarms");
      for (Alarm a : g.alarms()) {
        ObjectNode an = alarms.addObject();
        an.put("number", a.number());
        an.put("image", a.image());
        put(an, "at", a.at());
        an.put("changePoint", a.changePoint());
        put(an, "changeAt", a.changeAt());
        an.put("changeId", a.changeId());
        an.put("cause", a.cause());
        putNumber(an, "statistic", a.statistic());
        putNumber(an, "threshold", a.threshold());
        putNumber(an, "windowMeanError", a.windowMeanError());
        putNumber(an, "outlierShare", a.outlierShare());
      }
      ArrayNode problems = node.putArray("problems");
      for (Problem p : g.problems()) {
        problems.addObject().put("id", p.id()).put("problem", p.problem());
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise the audit report", e);
    }
  }

  private static ObjectNode key(Group g) {
    ObjectNode key = JSON.createObjectNode();
    g.key().forEach((name, value) -> put(key, name, value));
    return key;
  }

  private static void putNumber(ObjectNode node, String name, Double value) {
    if (value == null || !Double.isFinite(value)) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }

  /** A Spark value as JSON: numbers and booleans as such, times in ISO-8601, the rest as text. */
  static void put(ObjectNode node, String name, Object value) {
    if (value == null) {
      node.putNull(name);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      node.put(name, ((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      putNumber(node, name, ((Number) value).doubleValue());
    } else if (value instanceof BigDecimal d) {
      node.put(name, d);
    } else if (value instanceof Boolean b) {
      node.put(name, b);
    } else if (value instanceof Timestamp t) {
      node.put(name, t.toInstant().toString());
    } else if (value instanceof java.sql.Date d) {
      node.put(name, d.toLocalDate().toString());
    } else {
      node.put(name, value.toString());
    }
  }

  @Override
  public String toString() {
    return "AuditReport[" + groups.size() + " groups, " + flagged().size() + " flagged, " + images() + " images, "
        + malformed() + " malformed]";
  }
}
