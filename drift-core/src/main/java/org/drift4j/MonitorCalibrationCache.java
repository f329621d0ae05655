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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.drift4j.internal.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link DriftMonitor} keeps its calibrated thresholds between runs
 * ({@link DriftMonitor.Builder#calibrationCache}): a small JSON file of entries, one per setting
 * (baseline size, expected run time, confidence, statistic, calibration effort), each with a
 * digest over its content. A missing, corrupt or edited file is recalibrated and rewritten (with
 * a warning), never trusted; writes are atomic.
 *
 * <p>Stateless and thread-safe; concurrent writers each leave a complete file.
 */
public final class MonitorCalibrationCache {

  /** The suffix of {@link #beside(Path)}. */
  public static final String SUFFIX = ".monitor-calibration.json";

  /** The value of the {@code format} field of a cache file. */
  public static final String FORMAT = "drift4j-monitor-calibration";

  /** The fewest baseline errors a monitor accepts. */
  static final int MIN_BASELINE = 20;

  private static final Logger LOG = LoggerFactory.getLogger(MonitorCalibrationCache.class);
  private static final int VERSION = 1;
  /**
   * The threshold a monitor may use, and the alternatives it was calibrated for.
   *
   * @param threshold the threshold A
   * @param alternatives the statistic's alternatives
   */
  record Accepted(double threshold, List<RankAlternative> alternatives) {}

  /**
   * One calibrated threshold and what it was calibrated for.
   *
   * @param n the baseline's size
   * @param expectedRunTime the expected run time
   * @param confidence the share of baselines the promise holds for
   * @param statistic the statistic's id
   * @param draws simulated baselines
   * @param streams clean streams per simulated baseline
   * @param seed the simulation's seed
   * @param threshold the threshold
   * @param unreachable the share of simulated baselines for which no accepted threshold reaches the run time
   * @param seconds how long the calibration took
   */
  record Entry(int n, long expectedRunTime, double confidence, String statistic, int draws, int streams, long seed,
      double threshold, double unreachable, double seconds) {

    boolean isFor(int size, DriftMonitorConfig config, String statisticId) {
      return n == size && expectedRunTime == config.expectedRunTime() && confidence == config.confidence()
          && statistic.equals(statisticId) && draws == MonitorThresholds.DEFAULT_DRAWS
          && streams == MonitorThresholds.DEFAULT_STREAMS && seed == DriftMonitor.CALIBRATION_SEED;
    }
  }

  private MonitorCalibrationCache() {}

  /**
   * The cache file beside a baseline file: {@code <baseline>.monitor-calibration.json}.
   *
   * @param baselineFile the baseline's file
   * @return the cache's path
   */
  public static Path beside(Path baselineFile) {
    Objects.requireNonNull(baselineFile, "baselineFile");
    return baselineFile.resolveSibling(baselineFile.getFileName() + SUFFIX);
  }

  /** The id of a statistic with these alternatives: its version and alternatives. */
  static String statisticId(List<RankAlternative> alternatives) {
    StringBuilder ids = new StringBuilder();
    alternatives.forEach(a -> ids.append(a.id()).append(';'));
    return "shiryaev-roberts-mixture-v1:" + sha256(ids.toString()).substring(0, 12);
  }

  /** The threshold for a baseline of {@code n} errors, {@code config} and the alternatives: from the cache, or calibrated now. */
  static Entry thresholdFor(int n, DriftMonitorConfig config, Path cache, List<RankAlternative> alternatives)
      throws IOException {
    String id = statisticId(alternatives);
    List<Entry> entries = cache == null ? List.of() : read(cache);
    for (Entry e : entries) {
      if (e.isFor(n, config, id)) {
        return e;
      }
    }
    MonitorThresholds.Result r = MonitorThresholds.calibrate(n, alternatives, (double) config.expectedRunTime(),
        1 - config.confidence(), DriftMonitor.CALIBRATION_SEED, MonitorThresholds.DEFAULT_DRAWS,
        MonitorThresholds.DEFAULT_STREAMS, DriftMonitor.MAX_THRESHOLD_FACTOR * config.expectedRunTime());
    Entry made = new Entry(n, config.expectedRunTime(), config.confidence(), id, MonitorThresholds.DEFAULT_DRAWS,
        MonitorThresholds.DEFAULT_STREAMS, DriftMonitor.CALIBRATION_SEED, r.threshold(), r.unreachable(), r.seconds());
    LOG.info("Drift4j: calibrated the monitor's threshold for {} baseline errors and an expected run time of {} in {} s",
        n, config.expectedRunTime(), Decimals.fixed(r.seconds(), 1, false));
    if (cache != null) {
      List<Entry> kept = new ArrayList<>(entries);
      kept.add(made);
      write(cache, kept);
    }
    return made;
  }

  private static List<Entry> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      JsonNode root = Json.MAPPER.readTree(text);
      if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
        throw new IOException("not a version-" + VERSION + " " + FORMAT + " file");
      }
      List<Entry> entries = new ArrayList<>();
      for (JsonNode e : root.path("entries")) {
        Entry entry = new Entry(e.path("n").asInt(), e.path("expectedRunTime").asLong(), e.path("confidence").asDouble(),
            e.path("statistic").asText(), e.path("draws").asInt(), e.path("streams").asInt(), e.path("seed").asLong(),
            e.path("threshold").asDouble(), e.path("unreachable").asDouble(), e.path("seconds").asDouble());
        if (!digest(entry).equals(e.path("digest").asText())) {
          throw new IOException("an entry does not match its digest (edited or corrupt)");
        }
        entries.add(entry);
      }
      return entries;
    } catch (IOException e) {
      LOG.warn("Drift4j: ignoring the monitor calibration cache {} ({}); it will be rewritten", file, e.getMessage());
      return List.of();
    }
  }

  private static void write(Path file, List<Entry> entries) throws IOException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ArrayNode list = root.putArray("entries");
    for (Entry e : entries) {
      ObjectNode node = list.addObject();
      node.put("n", e.n());
      node.put("expectedRunTime", e.expectedRunTime());
      node.put("confidence", e.confidence());
      node.put("statistic", e.statistic());
      node.put("draws", e.draws());
      node.put("streams", e.streams());
      node.put("seed", e.seed());
      Json.putNumber(node, "threshold", e.threshold());
      node.put("unreachable", e.unreachable());
      node.put("seconds", e.seconds());
      node.put("digest", digest(e));
    }
    try {
      AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise the calibration cache", e);
    }
  }

  private static String digest(Entry e) {
    return sha256(e.n() + "|" + e.expectedRunTime() + "|" + e.confidence() + "|" + e.statistic() + "|" + e.draws() + "|"
        + e.streams() + "|" + e.seed() + "|" + e.threshold() + "|" + e.unreachable());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  /**
   * The calibrated threshold for a baseline of {@code count} errors, through the cache file when
   * one is given (null: none): of the full mixture ({@link RankAlternative#DEFAULTS}) when the
   * baseline supports it at the run time asked, else of its strong components
   * ({@link RankAlternative#STRONG}); refused with the numbers when the baseline supports neither.
   */
  static Accepted acceptedThreshold(int count, DriftMonitorConfig config, Path cache) {
    double limit = DriftMonitor.MAX_THRESHOLD_FACTOR * config.expectedRunTime();
    Entry calibration = calibration(count, config, cache, RankAlternative.DEFAULTS);
    if (calibration.threshold() <= limit) {
      return new Accepted(calibration.threshold(), RankAlternative.DEFAULTS);
    }
    calibration = calibration(count, config, cache, RankAlternative.STRONG);
    double threshold = calibration.threshold();
    if (threshold <= limit) {
      LOG.info("Drift4j: a baseline of {} errors is too small for the monitor's full statistic at an expected run time"
          + " of {}; it uses the {} alternatives without the weak ones", count, config.expectedRunTime(),
          RankAlternative.STRONG.size());
      return new Accepted(threshold, RankAlternative.STRONG);
    }
    throw new IllegalArgumentException("a baseline of " + count + " errors cannot support expectedRunTime "
        + config.expectedRunTime() + " at confidence " + config.confidence() + ": the calibrated threshold is "
        + (Double.isInfinite(threshold) ? "infinite" : Decimals.significant(threshold / config.expectedRunTime(), 3)
            + " times the expected run time")
        + " (at most " + (int) DriftMonitor.MAX_THRESHOLD_FACTOR + " is accepted), and for "
        + (calibration.unreachable() >= 0.1 ? Decimals.fixed(100 * calibration.unreachable(), 0, false)
            : Decimals.significant(100 * calibration.unreachable(), 2)) + "% of simulated baselines no accepted"
        + " threshold reaches the expected run time;"
        + " use more validation images, a smaller expected run time or a lower confidence");
  }

  private static Entry calibration(int count, DriftMonitorConfig config, Path cache, List<RankAlternative> alternatives) {
    try {
      return thresholdFor(count, config, cache, alternatives);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the calibration cache " + cache + " could not be used: " + e.getMessage(), e);
    }
  }
}
