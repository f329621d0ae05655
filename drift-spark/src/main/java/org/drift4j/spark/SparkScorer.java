package org.drift4j.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;

/**
 * Scores a table of images on the executors: one reconstruction error per image, computed by the
 * ONNX engine next to the data.
 *
 * <pre>{@code
 * SparkScorer scorer = SparkScorer.builder(SparkModel.load(Path.of("model.onnx")), baseline.errorMeasure())
 *     .preprocessing(baseline.preprocessing())
 *     .build();
 * Dataset<Row> files = spark.read().format("binaryFile").load("s3://lake/cameras/");
 * Dataset<Row> scored = scorer.score(files, ImageColumn.encoded("content"));   // path, ..., error, problem
 * }</pre>
 *
 * <p>How it runs: {@link #score} broadcasts the {@link SparkModel} (its bytes reach each executor
 * once); each executor opens it once and its tasks share it (see the module's docs/spark.md); a
 * partition is decoded and scored in chunks of {@link Builder#chunkImages(int)} images, each chunk
 * one engine call on {@code spark.task.cpus} threads. The result is lazy, as Spark's are: every
 * action on it scores again, so persist it (it holds no image bytes) or write it out when it is
 * used twice.
 *
 * <p>The result has the input's columns, less the image column, and two more:
 * {@value #ERROR_COLUMN} (double; null for a malformed image) and {@value #PROBLEM_COLUMN} (string:
 * what is wrong with a malformed image, null otherwise). A malformed image never fails the job.
 *
 * <p>Immutable and thread-safe.
 */
public final class SparkScorer {

  /** The column of the errors. */
  public static final String ERROR_COLUMN = "error";

  /** The column that says why an image could not be scored (null for scored images). */
  public static final String PROBLEM_COLUMN = "problem";

  /** Default number of images scored in one engine call. */
  public static final int DEFAULT_CHUNK_IMAGES = 256;

  private final SparkModel model;
  private final ReconstructionError measure;
  private final ImagePreprocessing preprocessing;
  private final int chunkImages;

  private SparkScorer(Builder b) {
    this.model = b.model;
    this.measure = b.measure;
    this.preprocessing = b.preprocessing;
    this.chunkImages = b.chunkImages;
  }

  /**
   * A builder of a scorer with {@code model} and {@code measure}.
   *
   * @param model the autoencoder
   * @param measure how each image's error is measured (the baseline's)
   * @return a new builder
   */
  public static Builder builder(SparkModel model, ReconstructionError measure) {
    return new Builder(Objects.requireNonNull(model, "model"), Objects.requireNonNull(measure, "measure"));
  }

  /**
   * Scores every image of {@code images} (lazily, on the executors).
   *
   * @param images the table; its other columns are kept, e.g. the {@code path} of a
   *     {@code binaryFile} source or a day and a camera
   * @param column where the images are
   * @return the table with {@value #ERROR_COLUMN} and {@value #PROBLEM_COLUMN} instead of the
   *     image column
   * @throws IllegalArgumentException if the column is missing or of the wrong type, if the table
   *     already has a column named {@value #ERROR_COLUMN} or {@value #PROBLEM_COLUMN}, or if pixel
   *     arrays are to be resized
   */
  public Dataset<Row> score(Dataset<Row> images, ImageColumn column) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(column, "column");
    Dataset<Row> input = prepare(images, column);
    StructType outSchema = outputSchema(input.schema(), column);
    int imageIndex = input.schema().fieldIndex(column.name());
    Broadcast<SparkModel> shipped = broadcast(input);
    ScorePartition function = new ScorePartition(shipped, column, imageIndex, measure, preprocessing, chunkImages);
    return input.mapPartitions(function, Encoders.row(outSchema));
  }

  /** Checks the table and casts a pixel column of another numeric type to {@code array<float>}. */
  Dataset<Row> prepare(Dataset<Row> images, ImageColumn column) {
    boolean cast = column.requireIn(images.schema());
    for (String reserved : List.of(ERROR_COLUMN, PROBLEM_COLUMN)) {
      if (List.of(images.schema().fieldNames()).contains(reserved)) {
        throw new IllegalArgumentException("images must not have a column named " + reserved
            + " (scoring adds it), but had one; rename it first");
      }
    }
    if (!column.isEncoded() && !preprocessing.equals(ImagePreprocessing.none())) {
      throw new IllegalArgumentException("pixel column " + column.name() + " holds images of the model's shape already:"
          + " preprocessing must be none, but was " + preprocessing);
    }
    return cast ? images.withColumn(column.name(), col(column.name()).cast("array<float>")) : images;
  }

  /** Ships the model to the executors once. */
  Broadcast<SparkModel> broadcast(Dataset<Row> on) {
    return JavaSparkContext.fromSparkContext(on.sparkSession().sparkContext()).broadcast(model);
  }

  static StructType outputSchema(StructType input, ImageColumn column) {
    List<StructField> fields = new ArrayList<>();
    for (StructField f : input.fields()) {
      if (!f.name().equals(column.name())) {
        fields.add(f);
      }
    }
    fields.add(DataTypes.createStructField(ERROR_COLUMN, DataTypes.DoubleType, true));
    fields.add(DataTypes.createStructField(PROBLEM_COLUMN, DataTypes.StringType, true));
    return DataTypes.createStructType(fields);
  }

  /** {@return the model} */
  public SparkModel model() {
    return model;
  }

  /** {@return the model's input shape} */
  public ImageShape shape() {
    return model.shape();
  }

  /** {@return the error measure} */
  public ReconstructionError measure() {
    return measure;
  }

  /** {@return how decoded images are made into the model's shape} */
  public ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  /** {@return images per engine call} */
  public int chunkImages() {
    return chunkImages;
  }

  @Override
  public String toString() {
    return "SparkScorer[" + model + ", " + measure + ", " + preprocessing + ", chunks of " + chunkImages + "]";
  }

  /** Builds a {@link SparkScorer}; each setter validates at once. Not thread-safe; the scorer is. */
  public static final class Builder {
    private final SparkModel model;
    private final ReconstructionError measure;
    private ImagePreprocessing preprocessing = ImagePreprocessing.none();
    private int chunkImages = DEFAULT_CHUNK_IMAGES;

    private Builder(SparkModel model, ReconstructionError measure) {
      this.model = model;
      this.measure = measure;
    }

    /**
     * How decoded images become the model's shape; default {@link ImagePreprocessing#none()}
     * (images of another size are malformed). Use the baseline's.
     *
     * @param preprocessing the preprocessing
     * @return this builder
     */
    public Builder preprocessing(ImagePreprocessing preprocessing) {
      this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
      return this;
    }

    /**
     * Images decoded and scored at once, per task; default {@value #DEFAULT_CHUNK_IMAGES}. A chunk's
     * pixels are held in memory: {@code images × C × H × W × 4} bytes, twice.
     *
     * @param images the chunk size
     * @return this builder
     * @throws IllegalArgumentException if {@code images} is below 1 or above 65,536
     */
    public Builder chunkImages(int images) {
      if (images < 1 || images > 65_536) {
        throw new IllegalArgumentException("chunkImages must be between 1 and 65,536, but was " + images);
      }
      this.chunkImages = images;
      return this;
    }

    /**
     * Builds the scorer.
     *
     * @return the scorer
     */
    public SparkScorer build() {
      return new SparkScorer(this);
    }
  }
}
