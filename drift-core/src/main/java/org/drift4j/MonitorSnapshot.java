package org.drift4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Objects;
import org.drift4j.internal.AtomicFiles;

/**
 * A {@link DriftMonitor}'s state at one moment ({@link DriftMonitor#snapshot()}), so that a
 * restarted service continues its stream where it stopped ({@link DriftMonitor#restore}): the
 * statistic, the image and alarm counts and the errors of the recent images, with the baseline,
 * model and settings they belong to.
 *
 * <p>Stored as JSON with a SHA-256 over its content: {@link #write} is atomic (a crash leaves the
 * previous file or the new one), {@link #read} refuses a truncated, edited or foreign file with a
 * {@link MonitorSnapshotException}, and a monitor refuses a snapshot of another baseline, model or
 * setting by name.
 *
 * <p>Immutable and thread-safe.
 */
public final class MonitorSnapshot {

  /** The value of the {@code format} field of a snapshot. */
  public static final String FORMAT = "drift4j-monitor-snapshot";

  /** The schema version this library writes and reads. */
  public static final int SCHEMA_VERSION = 1;

  private final String baselineId;
  private final String autoencoderFingerprint;
  private final long expectedRunTime;
  private final double confidence;
  private final String statistic;
  private final double threshold;
  private final long images;
  private final long restartIndex;
  private final long alarms;
  private final boolean latched;
  private final double[][] state;
  private final double[] recentErrors;
  private final Instant createdAt;

  MonitorSnapshot(String baselineId, String autoencoderFingerprint, long expectedRunTime, double confidence,
      String statistic, double threshold, long images, long restartIndex, long alarms, boolean latched,
      double[][] state, double[] recentErrors, Instant createdAt) {
    this.baselineId = baselineId;
    this.autoencoderFingerprint = autoencoderFingerprint;
    this.expectedRunTime = expectedRunTime;
    this.confidence = confidence;
    this.statistic = statistic;
    this.threshold = threshold;
    this.images = images;
    this.restartIndex = restartIndex;
    this.alarms = alarms;
    this.latched = latched;
    this.state = state;
    this.recentErrors = recentErrors;
    this.createdAt = createdAt;
  }

  /** {@return the id of the baseline the monitor compared against} */
  public String baselineId() {
    return baselineId;
  }

  /** {@return the fingerprint of the monitor's autoencoder} */
  public String autoencoderFingerprint() {
    return autoencoderFingerprint;
  }

  /** {@return the images the monitor had seen} */
  public long images() {
    return images;
  }

  /** {@return the alarms the monitor had raised} */
  public long alarms() {
    return alarms;
  }

  /** {@return when the snapshot was taken} */
  public Instant createdAt() {
    return createdAt;
  }

  long restartIndex() {
    return restartIndex;
  }

  boolean latched() {
    return latched;
  }

  double[][] state() {
    return state;
  }

  double[] recentErrors() {
    return recentErrors;
  }

  /** Throws unless this snapshot was taken by a monitor of this baseline, model and setting. */
  void requireFits(Baseline baseline, DriftMonitorConfig config, String monitorStatistic, double monitorThreshold) {
    if (!baselineId.equals(baseline.id())) {
      throw new IllegalArgumentException("snapshot was taken with baseline " + baselineId + ", but this monitor's is "
          + baseline.id());
    }
    if (!autoencoderFingerprint.equals(baseline.autoencoderFingerprint())) {
      throw new IllegalArgumentException("snapshot was taken with autoencoder " + autoencoderFingerprint
          + ", but this monitor's is " + baseline.autoencoderFingerprint());
    }
    if (expectedRunTime != config.expectedRunTime() || confidence != config.confidence()) {
      throw new IllegalArgumentException("snapshot was taken with expectedRunTime " + expectedRunTime + " at confidence "
          + confidence + ", but this monitor's are " + config.expectedRunTime() + " at " + config.confidence());
    }
    if (!statistic.equals(monitorStatistic) || threshold != monitorThreshold) {
      throw new IllegalArgumentException("snapshot was taken with statistic " + statistic + " (threshold " + threshold
          + "), but this monitor's is " + monitorStatistic + " (threshold " + monitorThreshold + ")");
    }
  }

  /** {@return this snapshot as JSON} */
  public String toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("baselineId", baselineId);
    root.put("autoencoderFingerprint", autoencoderFingerprint);
    root.put("expectedRunTime", expectedRunTime);
    root.put("confidence", confidence);
    root.put("statistic", statistic);
    root.put("threshold", threshold);
    root.put("images", images);
    root.put("restartIndex", restartIndex);
    root.put("alarms", alarms);
    root.put("latched", latched);
    ArrayNode s = root.putArray("state");
    for (double[] part : state) {
      ArrayNode row = s.addArray();
      for (double v : part) {
        row.add(v);
      }
    }
    ArrayNode recent = root.putArray("recentErrors");
    for (double e : recentErrors) {
      recent.add(e);
    }
    root.put("createdAt", createdAt.toString());
    root.put("digest", digest(root));
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise a monitor snapshot", e);
    }
  }

  /**
   * Parses {@link #toJson()}'s output.
   *
   * @param json the text
   * @return the snapshot
   * @throws MonitorSnapshotException if the text is not a complete, unedited snapshot of a
   *     supported version, saying why
   */
  public static MonitorSnapshot fromJson(String json) throws MonitorSnapshotException {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MonitorSnapshotException("not valid JSON (corrupt or truncated snapshot): " + e.getOriginalMessage(), e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
      throw new MonitorSnapshotException("format must be \"" + FORMAT + "\", but was "
          + (root == null ? "nothing" : root.path("format")));
    }
    if (root.path("schemaVersion").asInt(-1) != SCHEMA_VERSION) {
      throw new MonitorSnapshotException("schemaVersion must be " + SCHEMA_VERSION + ", but was "
          + root.path("schemaVersion"));
    }
    String digest = root.path("digest").asText("");
    ((ObjectNode) root).remove("digest");
    if (!digest.equals(digest(root))) {
      throw new MonitorSnapshotException("content does not match its digest: the snapshot was edited or corrupted");
    }
    try {
      JsonNode s = root.path("state");
      double[][] state = new double[s.size()][];
      for (int i = 0; i < state.length; i++) {
        state[i] = doubles(s.get(i));
      }
      long images = root.path("images").asLong(-1);
      long restartIndex = root.path("restartIndex").asLong(-1);
      if (images < 0 || restartIndex < 0 || restartIndex > images) {
        throw new MonitorSnapshotException("images and restartIndex must satisfy 0 <= restartIndex <= images, but were "
            + images + " and " + restartIndex);
      }
      return new MonitorSnapshot(text(root, "baselineId"), text(root, "autoencoderFingerprint"),
          root.path("expectedRunTime").asLong(), root.path("confidence").asDouble(), text(root, "statistic"),
          root.path("threshold").asDouble(), images, restartIndex, root.path("alarms").asLong(),
          root.path("latched").asBoolean(), state, doubles(root.path("recentErrors")),
          Instant.parse(text(root, "createdAt")));
    } catch (DateTimeParseException e) {
      throw new MonitorSnapshotException("createdAt must be an ISO-8601 instant: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@link #toJson()} to {@code file}, atomically, creating parent directories.
   *
   * @param file where to write it
   * @throws IOException if writing fails; a previous file is then untouched
   */
  public void write(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a snapshot written by {@link #write}.
   *
   * @param file the file
   * @return the snapshot
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws MonitorSnapshotException if it is not a complete, unedited snapshot, with the file
   *     named
   * @throws IOException if it cannot be read
   */
  public static MonitorSnapshot read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new MonitorSnapshotException(file + ": not UTF-8 text (corrupt, or not a snapshot)", e);
    } catch (MonitorSnapshotException e) {
      throw new MonitorSnapshotException(file + ": " + e.getMessage(), e.getCause());
    }
  }

  private static String text(JsonNode node, String field) throws MonitorSnapshotException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new MonitorSnapshotException(field + " must be a string, but was " + (v == null ? "missing" : v));
    }
    return v.asText();
  }

  private static double[] doubles(JsonNode array) throws MonitorSnapshotException {
    if (array == null || !array.isArray()) {
      throw new MonitorSnapshotException("expected an array of numbers, but found " + array);
    }
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      if (!array.get(i).isNumber()) {
        throw new MonitorSnapshotException("expected a number, but found " + array.get(i));
      }
      values[i] = array.get(i).doubleValue();
    }
    return values;
  }

  private static String digest(JsonNode content) {
    try {
      byte[] bytes = Json.MAPPER.writeValueAsBytes(content);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("could not digest a snapshot", e);
    }
  }

  @Override
  public String toString() {
    return "MonitorSnapshot[" + images + " images, " + alarms + " alarms, baseline " + baselineId + ", " + createdAt
        + "]";
  }
}
