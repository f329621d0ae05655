package org.drift4j.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@link SparkDriftAudit#run} found: one row per group, as a lazy Dataset (write it where the
 * archive is) and, collected on the driver, as an {@link AuditReport} with its JSON.
 *
 * <p>The columns of {@link #groups()}: the group columns; {@code images} (scored), {@code malformed};
 * {@code meanError}; {@code testedImages} (what the policy saw), {@code drift}, {@code pValue},
 * {@code statistic}, {@code threshold}, {@code detail} (the policy's decision, null without
 * images); {@code alarmCount}, {@code firstAlarmAt}, {@code firstChangeAt}, {@code firstChangeId}
 * (the monitor's first alarm: the order value of the image that raised it, and the order value
 * and id of the image where the change began), {@code alarms} (every alarm, as structs of
 * {@code number, image, at, changePoint, changeAt, changeId, cause, statistic, threshold,
 * windowMeanError, outlierShare}); {@code problems} (the malformed images, as structs of
 * {@code id, problem}, at most {@link SparkDriftAudit.Builder#listedProblems(int)} per group).
 *
 * <p>Immutable and thread-safe (as Spark's Datasets are for reading).
 */
public final class AuditResult {

  private final Dataset<Row> groups;
  private final List<String> keys;
  private final String orderBy;
  private final SparkDriftAudit audit;

  AuditResult(Dataset<Row> groups, List<String> keys, String orderBy, SparkDriftAudit audit) {
    this.groups = groups;
    this.keys = List.copyOf(keys);
    this.orderBy = orderBy;
    this.audit = audit;
  }

  /** {@return the group columns of {@link #groups()}} */
  List<String> keys() {
    return keys;
  }

  /** {@return the audit that made this} */
  SparkDriftAudit audit() {
    return audit;
  }

  /** {@return one row per group (lazy: each action runs the audit again, so persist it when used twice)} */
  public Dataset<Row> groups() {
    return groups;
  }

  /** {@return the groups the policy found drifted or the monitor alarmed on} */
  public Dataset<Row> drifted() {
    return groups.where(col("drift").equalTo(true).or(col("alarmCount").gt(0)));
  }

  /**
   * Runs the audit and collects its groups on the driver, in the order of their keys.
   *
   * @return the report
   */
  public AuditReport report() {
    Column[] order = keys.stream().map(k -> col(k)).toArray(Column[]::new);
    List<Row> rows = groups.orderBy(order).collectAsList();
    List<AuditReport.Group> collected = new ArrayList<>(rows.size());
    int k = keys.size();
    for (Row r : rows) {
      Map<String, Object> key = new LinkedHashMap<>();
      for (int i = 0; i < k; i++) {
        key.put(keys.get(i), r.get(i));
      }
      List<AuditReport.Alarm> alarms = new ArrayList<>();
      for (Row a : r.<Row>getList(k + 13)) {
        alarms.add(new AuditReport.Alarm(a.getLong(0), a.getLong(1), a.get(2), a.getLong(3), a.get(4), a.getString(5),
            a.getString(6), a.getDouble(7), a.getDouble(8), a.getDouble(9), a.getDouble(10)));
      }
      List<AuditReport.Problem> problems = new ArrayList<>();
      for (Row p : r.<Row>getList(k + 14)) {
        problems.add(new AuditReport.Problem(p.getString(0), p.getString(1)));
      }
      collected.add(new AuditReport.Group(Collections.unmodifiableMap(key), r.getLong(k), r.getLong(k + 1),
          r.isNullAt(k + 2) ? Double.NaN : r.getDouble(k + 2), r.getInt(k + 3),
          r.isNullAt(k + 4) ? null : r.getBoolean(k + 4), r.isNullAt(k + 5) ? null : r.getDouble(k + 5),
          r.isNullAt(k + 6) ? null : r.getDouble(k + 6), r.isNullAt(k + 8) ? null : r.getString(k + 8), alarms,
          problems));
    }
    return new AuditReport(audit, orderBy, collected);
  }

  @Override
  public String toString() {
    return "AuditResult[" + Objects.toString(audit) + "]";
  }
}
