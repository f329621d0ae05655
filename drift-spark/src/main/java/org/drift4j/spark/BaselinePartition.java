package org.drift4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ReconstructionError;

/**
 * Scores one partition for a baseline and sums it up in one row: its errors, its malformed rows
 * and, optionally, its per-pixel moments; the driver collects one row per partition.
 */
final class BaselinePartition implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("errors", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
      DataTypes.createStructField("malformed", DataTypes.LongType, false),
      DataTypes.createStructField("problems", DataTypes.createArrayType(DataTypes.StringType, false), false),
      DataTypes.createStructField("count", DataTypes.LongType, false),
      DataTypes.createStructField("mean", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
      DataTypes.createStructField("m2", DataTypes.createArrayType(DataTypes.DoubleType, false), false)));

  private final Broadcast<SparkModel> model;
  private final ImageColumn column;
  private final int imageIndex;
  private final int pathIndex;
  private final ReconstructionError measure;
  /** The preprocessing's id: {@link ImagePreprocessing} is not serializable. */
  private final String preprocessing;
  private final int chunkImages;
  private final boolean pixelStatistics;

  BaselinePartition(Broadcast<SparkModel> model, ImageColumn column, int imageIndex, int pathIndex,
      SparkScorer scorer, boolean pixelStatistics) {
    this.model = model;
    this.column = column;
    this.imageIndex = imageIndex;
    this.pathIndex = pathIndex;
    this.measure = scorer.measure();
    this.preprocessing = scorer.preprocessing().id();
    this.chunkImages = scorer.chunkImages();
    this.pixelStatistics = pixelStatistics;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    if (!input.hasNext()) {
      return List.<Row>of().iterator();
    }
    SparkModel shipped = model.value();
    PixelMoments moments = pixelStatistics ? new PixelMoments(shipped.shape()) : null;
    double[] errors = new double[1024];
    int n = 0;
    long malformed = 0;
    List<String> problems = new ArrayList<>();
    try (ExecutorModels.Lease lease = ScorePartition.lease(shipped, chunkImages)) {
      ChunkScoring scoring = new ChunkScoring(lease.autoencoder(), column, imageIndex, measure,
        ImagePreprocessing.parse(preprocessing));
      List<Row> chunk = new ArrayList<>(chunkImages);
      while (input.hasNext()) {
        chunk.clear();
        while (input.hasNext() && chunk.size() < chunkImages) {
          chunk.add(input.next());
        }
        ChunkScoring.Scores scores = scoring.score(chunk, moments);
        for (int i = 0; i < chunk.size(); i++) {
          if (scores.problems()[i] != null) {
            malformed++;
            if (problems.size() < SparkBaselines.LISTED_PROBLEMS) {
              problems.add(pathIndex < 0 ? scores.problems()[i] : chunk.get(i).get(pathIndex) + ": " + scores.problems()[i]);
            }
            continue;
          }
          if (n == errors.length) {
            errors = java.util.Arrays.copyOf(errors, Math.multiplyExact(2, n));
          }
          errors[n++] = scores.errors()[i];
        }
      }
    }
    Object[] pixels = moments == null ? new Object[] {0L, new double[0], new double[0]} : moments.toRow();
    Row row = RowFactory.create(java.util.Arrays.copyOf(errors, n), malformed, problems.toArray(new String[0]),
        pixels[0], pixels[1], pixels[2]);
    return List.of(row).iterator();
  }
}
