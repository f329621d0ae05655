package org.drift4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftAlarm;
import org.drift4j.DriftMonitor;
import org.drift4j.DriftMonitorConfig;
import org.drift4j.DriftPolicy;
import org.drift4j.MonitorObservation;
import org.drift4j.PolicyDecision;

/**
 * Judges one group: its errors, in time order, go through the calibrated policy (as one batch, of
 * at most {@code maxTestImages} sampled uniformly) and through a fresh {@link DriftMonitor}
 * (all of them, in order). Each task parses the baseline once and makes its own policy, whose
 * null distributions it then reuses for groups of equal size; the monitor's threshold, calibrated
 * once on the driver, comes through a calibration cache file the task writes.
 *
 * <p>Input rows: the group columns, then order, id, error, problem. Not thread-safe: Spark gives
 * each task its own deserialized copy.
 */
final class AuditGroups implements FlatMapGroupsFunction<Row, Row, Row> {

  private static final long serialVersionUID = 1L;
  private static final int OBSERVE_CHUNK = 4_096;

  private final Broadcast<String> baselineJson;
  private final String calibrationJson;
  private final long expectedRunTime;
  private final double confidence;
  private final DriftMonitorConfig.AfterAlarm afterAlarm;
  private final double outlierQuantile;
  private final int windowImages;
  private final PolicyChoice policyChoice;
  private final int maxTestImages;
  private final int listedProblems;
  private final long seed;
  private final int keyColumns;

  private transient Baseline baseline;
  private transient DriftPolicy policy;
  private transient DriftMonitorConfig monitorConfig;
  private transient Path calibration;

  AuditGroups(Broadcast<String> baselineJson, String calibrationJson, DriftMonitorConfig monitor,
      PolicyChoice policyChoice, int maxTestImages, int listedProblems, long seed, int keyColumns) {
    this.baselineJson = baselineJson;
    this.calibrationJson = calibrationJson;
    this.expectedRunTime = monitor.expectedRunTime();
    this.confidence = monitor.confidence();
    this.afterAlarm = monitor.afterAlarm();
    this.outlierQuantile = monitor.outlierQuantile();
    this.windowImages = monitor.windowImages();
    this.policyChoice = policyChoice;
    this.maxTestImages = maxTestImages;
    this.listedProblems = listedProblems;
    this.seed = seed;
    this.keyColumns = keyColumns;
  }

  @Override
  public Iterator<Row> call(Row key, Iterator<Row> rows) throws IOException {
    setUp();
    int order = keyColumns;
    List<Object> orders = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    double[] errors = new double[256];
    int n = 0;
    long malformed = 0;
    List<Row> problems = new ArrayList<>();
    while (rows.hasNext()) {
      Row row = rows.next();
      String id = row.isNullAt(order + 1) ? null : row.getString(order + 1);
      if (row.isNullAt(order + 2)) {
        malformed++;
        if (problems.size() < listedProblems) {
          problems.add(RowFactory.create(id, row.isNullAt(order + 3) ? "no error" : row.getString(order + 3)));
        }
        continue;
      }
      if (n == errors.length) {
        errors = Arrays.copyOf(errors, Math.multiplyExact(2, n));
      }
      errors[n++] = row.getDouble(order + 2);
      orders.add(row.get(order));
      ids.add(id);
    }
    errors = Arrays.copyOf(errors, n);
    Object[] values = new Object[keyColumns + AuditSchema.RESULT_COLUMNS];
    for (int k = 0; k < keyColumns; k++) {
      values[k] = key.get(k);
    }
    int at = keyColumns;
    values[at++] = (long) n;
    values[at++] = malformed;
    values[at++] = n == 0 ? null : Arrays.stream(errors).sum() / n;
    double[] tested = sample(errors, key);
    values[at++] = tested.length;
    PolicyDecision decision = n == 0 ? null : policy.decide(tested, baseline);
    values[at++] = decision == null ? null : decision.drift();
    values[at++] = decision == null || !decision.hasPValue() ? null : decision.pValue();
    values[at++] = decision == null ? null : decision.statistic();
    values[at++] = decision == null ? null : decision.threshold();
    values[at++] = decision == null ? null : decision.detail();
    List<Row> alarms = n == 0 ? List.of() : monitor(errors, orders, ids);
    values[at++] = alarms.size();
    values[at++] = alarms.isEmpty() ? null : alarms.get(0).get(2);
    values[at++] = alarms.isEmpty() ? null : alarms.get(0).get(4);
    values[at++] = alarms.isEmpty() ? null : alarms.get(0).get(5);
    values[at++] = alarms.toArray(new Row[0]);
    values[at] = problems.toArray(new Row[0]);
    return List.of(RowFactory.create(values)).iterator();
  }

  /** At most {@code maxTestImages} of the errors, a uniform sample seeded by the seed and the group. */
  private double[] sample(double[] errors, Row key) {
    if (errors.length <= maxTestImages) {
      return errors;
    }
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * key.hashCode()));
    double[] pool = errors.clone();
    for (int i = 0; i < maxTestImages; i++) {
      int j = i + random.nextInt(pool.length - i);
      double t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return Arrays.copyOf(pool, maxTestImages);
  }

  private List<Row> monitor(double[] errors, List<Object> orders, List<String> ids) {
    DriftMonitor monitor = DriftMonitor.builder(baseline).config(monitorConfig).calibrationCache(calibration).build();
    List<Row> alarms = new ArrayList<>();
    for (int from = 0; from < errors.length; from += OBSERVE_CHUNK) {
      MonitorObservation seen = monitor.observeErrors(Arrays.copyOfRange(errors, from,
          Math.min(errors.length, from + OBSERVE_CHUNK)));
      for (DriftAlarm a : seen.alarms()) {
        int image = (int) a.image();
        int change = (int) a.changePoint();
        alarms.add(RowFactory.create(a.number(), a.image(), orders.get(image), a.changePoint(), orders.get(change),
            ids.get(change), a.cause(), a.statistic(), a.threshold(), a.window().meanError(),
            a.window().outlierShare()));
      }
    }
    return alarms;
  }

  private void setUp() throws IOException {
    if (baseline != null) {
      return;
    }
    baseline = BaselineStore.fromJson(baselineJson.value());
    policy = policyChoice.create();
    monitorConfig = DriftMonitorConfig.custom().expectedRunTime(expectedRunTime).confidence(confidence)
        .afterAlarm(afterAlarm).outlierQuantile(outlierQuantile).windowImages(windowImages).build();
    Path file = Files.createTempFile("drift4j-monitor", ".monitor-calibration.json");
    Files.writeString(file, calibrationJson, StandardCharsets.UTF_8);
    calibration = file;
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> delete(file));
    } else {
      file.toFile().deleteOnExit();
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
