package org.drift4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The columns of an audit's per-group result, after the group columns. Stateless. */
final class AuditSchema {

  static final List<String> RESULT_NAMES = List.of("images", "malformed", "meanError", "testedImages", "drift",
      "pValue", "statistic", "threshold", "detail", "alarmCount", "firstAlarmAt", "firstChangeAt", "firstChangeId",
      "alarms", "problems");
  static final int RESULT_COLUMNS = RESULT_NAMES.size();

  private AuditSchema() {}

  static StructType alarm(DataType order) {
    return DataTypes.createStructType(List.of(
        DataTypes.createStructField("number", DataTypes.LongType, false),
        DataTypes.createStructField("image", DataTypes.LongType, false),
        DataTypes.createStructField("at", order, true),
        DataTypes.createStructField("changePoint", DataTypes.LongType, false),
        DataTypes.createStructField("changeAt", order, true),
        DataTypes.createStructField("changeId", DataTypes.StringType, true),
        DataTypes.createStructField("cause", DataTypes.StringType, false),
        DataTypes.createStructField("statistic", DataTypes.DoubleType, false),
        DataTypes.createStructField("threshold", DataTypes.DoubleType, false),
        DataTypes.createStructField("windowMeanError", DataTypes.DoubleType, false),
        DataTypes.createStructField("outlierShare", DataTypes.DoubleType, false)));
  }

  static StructType problem() {
    return DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.StringType, true),
        DataTypes.createStructField("problem", DataTypes.StringType, false)));
  }

  /** The result's schema: {@code keys}, then the result columns. */
  static StructType of(List<StructField> keys, DataType order) {
    List<StructField> fields = new ArrayList<>(keys);
    DataType[] types = {DataTypes.LongType, DataTypes.LongType, DataTypes.DoubleType, DataTypes.IntegerType,
        DataTypes.BooleanType, DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.StringType,
        DataTypes.IntegerType, order, order, DataTypes.StringType,
        DataTypes.createArrayType(alarm(order), false), DataTypes.createArrayType(problem(), false)};
    for (int i = 0; i < types.length; i++) {
      boolean nullable = i >= 2 && i != 3 && i != 9 && i < 13;
      fields.add(DataTypes.createStructField(RESULT_NAMES.get(i), types[i], nullable));
    }
    return DataTypes.createStructType(fields);
  }

  /** Refuses a scored table without the columns an audit reads, naming the first one missing. */
  static void requireColumns(List<String> names, List<String> groupBy, String orderBy, String idColumn) {
    List<String> needed = new ArrayList<>(groupBy);
    needed.add(SparkScorer.ERROR_COLUMN);
    needed.add(SparkScorer.PROBLEM_COLUMN);
    if (orderBy != null) {
      needed.add(orderBy);
    }
    if (idColumn != null) {
      needed.add(idColumn);
    }
    for (String n : needed) {
      if (!names.contains(n)) {
        throw new IllegalArgumentException("scored must have a column " + n + ", but its columns are " + names);
      }
    }
  }
}
