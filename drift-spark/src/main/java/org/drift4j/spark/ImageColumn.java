package org.drift4j.spark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.drift4j.ImageBatch;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ImageShape;

/**
 * Where a table holds its images and in which form:
 * <ul>
 *   <li>{@link #encoded(String)}: a binary column of encoded image files (PNG, JPEG, BMP, GIF: what
 *       {@link ImageIO} reads), such as the {@code content} column of Spark's {@code binaryFile}
 *       source or an image column of a Parquet table;
 *   <li>{@link #pixels(String)}: an array column of C × H × W pixel values in [0, 1], channel-major
 *       (CHW) as {@link ImageBatch} holds them; arrays of any numeric type are cast to float.
 * </ul>
 * A value that cannot be made into an image of the model's shape (not an image file, truncated,
 * another size without resizing, the wrong number of values, a value outside [0, 1], null) makes
 * that row malformed: scoring reports it in {@link SparkScorer#PROBLEM_COLUMN} and goes on.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageColumn implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The column of Spark's {@code binaryFile} source that holds each file's bytes. */
  public static final String BINARY_FILE_CONTENT = "content";

  /** @serial the column's name */
  private final String name;
  /** @serial whether it holds encoded image files (else pixel arrays) */
  private final boolean encoded;

  private ImageColumn(String name, boolean encoded) {
    this.name = Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("column name must not be blank");
    }
    this.encoded = encoded;
  }

  /**
   * A binary column of encoded image files.
   *
   * @param name the column's name, e.g. {@value #BINARY_FILE_CONTENT}
   * @return the column
   * @throws IllegalArgumentException if the name is blank
   */
  public static ImageColumn encoded(String name) {
    return new ImageColumn(name, true);
  }

  /**
   * An array column of pixel values in [0, 1], CHW order.
   *
   * @param name the column's name
   * @return the column
   * @throws IllegalArgumentException if the name is blank
   */
  public static ImageColumn pixels(String name) {
    return new ImageColumn(name, false);
  }

  /** {@return the column's name} */
  public String name() {
    return name;
  }

  /** {@return whether the column holds encoded image files (else pixel arrays)} */
  public boolean isEncoded() {
    return encoded;
  }

  /**
   * Checks that {@code schema} has this column with a type of this form.
   *
   * @return whether the column must be cast to {@code array<float>} first
   */
  boolean requireIn(StructType schema) {
    int index;
    try {
      index = schema.fieldIndex(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("image column " + name + " must be a column of the dataset, whose columns are "
          + List.of(schema.fieldNames()), e);
    }
    DataType type = schema.fields()[index].dataType();
    if (encoded) {
      if (!type.equals(DataTypes.BinaryType)) {
        throw new IllegalArgumentException("image column " + name + " must be binary (encoded image files), but was "
            + type.simpleString());
      }
      return false;
    }
    if (!(type instanceof ArrayType array) || !(array.elementType() instanceof NumericType)) {
      throw new IllegalArgumentException("pixel column " + name + " must be an array of numbers, but was "
          + type.simpleString());
    }
    return !array.elementType().equals(DataTypes.FloatType);
  }

  /**
   * The image in column {@code index} of {@code row}, as a batch of one image.
   *
   * @throws IllegalArgumentException naming what is wrong with the value
   */
  ImageBatch image(Row row, int index, ImageShape shape, ImagePreprocessing preprocessing) {
    if (row.isNullAt(index)) {
      throw new IllegalArgumentException("the image is null");
    }
    // an array column reaches Java as a Scala sequence: Row.getList converts it
    return encoded ? decode((byte[]) row.get(index), shape, preprocessing) : pixelsOf(row.getList(index), shape);
  }

  private static ImageBatch decode(byte[] bytes, ImageShape shape, ImagePreprocessing preprocessing) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the image file could not be decoded (" + bytes.length + " bytes): "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    if (image == null) {
      throw new IllegalArgumentException("not an image file ImageIO can read (" + bytes.length + " bytes)");
    }
    return preprocessing.image(shape, image);
  }

  private static ImageBatch pixelsOf(List<?> values, ImageShape shape) {
    if (values.size() != shape.size()) {
      throw new IllegalArgumentException("the image must hold " + shape.size() + " values (" + shape + "), but held "
          + values.size());
    }
    float[] pixels = new float[values.size()];
    for (int k = 0; k < pixels.length; k++) {
      Object v = values.get(k);
      if (v == null) {
        throw new IllegalArgumentException("value " + k + " of the image is null");
      }
      pixels[k] = ((Number) v).floatValue();
    }
    return ImageBatch.ofFlat(shape, pixels);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageColumn c && c.name.equals(name) && c.encoded == encoded;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, encoded);
  }

  @Override
  public String toString() {
    return (encoded ? "encoded(" : "pixels(") + name + ")";
  }
}
