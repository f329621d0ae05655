package org.drift4j.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.PixelErrorStatistics;
import org.drift4j.ReconstructionError;

/**
 * Per pixel and channel, the running count, mean and sum of squared deviations of the errors
 * (Welford), mergeable across partitions (Chan et al.'s pairwise update), in double. Not
 * thread-safe: one per task, merged on the driver.
 */
final class PixelMoments implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int channels;
  private final int height;
  private final int width;
  private final double[] mean;
  private final double[] m2;
  private long count;

  PixelMoments(ImageShape shape) {
    this.channels = shape.channels();
    this.height = shape.height();
    this.width = shape.width();
    this.mean = new double[shape.size()];
    this.m2 = new double[shape.size()];
  }

  /** Moments from their parts, as {@link #toRow()} gave them. */
  static PixelMoments fromRow(ImageShape shape, Row row, int offset) {
    PixelMoments m = new PixelMoments(shape);
    m.count = row.getLong(offset);
    List<Double> mean = row.getList(offset + 1);
    List<Double> m2 = row.getList(offset + 2);
    for (int k = 0; k < m.mean.length; k++) {
      m.mean[k] = mean.get(k);
      m.m2[k] = m2.get(k);
    }
    return m;
  }

  /** {@return count, mean and m2, as three row values} */
  Object[] toRow() {
    return new Object[] {count, mean.clone(), m2.clone()};
  }

  ImageShape shape() {
    return new ImageShape(channels, height, width);
  }

  long count() {
    return count;
  }

  /** Adds the per-value errors of each image of {@code batch} against its reconstruction. */
  void add(ImageBatch batch, float[][] reconstructions, ReconstructionError measure) {
    if (reconstructions == null || reconstructions.length != batch.size()) {
      throw new IllegalStateException("the autoencoder must return " + batch.size() + " reconstructions, but returned "
          + (reconstructions == null ? "null" : reconstructions.length));
    }
    float[] target = new float[mean.length];
    for (int i = 0; i < batch.size(); i++) {
      batch.copyTo(i, i + 1, target, 0);
      double[] errors = measure.pixelErrors(target, reconstructions[i]);
      count++;
      for (int k = 0; k < errors.length; k++) {
        double delta = errors[k] - mean[k];
        mean[k] += delta / count;
        m2[k] += delta * (errors[k] - mean[k]);
      }
    }
  }

  /** Adds {@code other}'s images to these. */
  void merge(PixelMoments other) {
    if (other.mean.length != mean.length) {
      throw new IllegalArgumentException("moments must be of " + shape() + ", but were of " + other.shape());
    }
    if (other.count == 0) {
      return;
    }
    long n = count + other.count;
    for (int k = 0; k < mean.length; k++) {
      double delta = other.mean[k] - mean[k];
      mean[k] += delta * other.count / n;
      m2[k] += other.m2[k] + delta * delta * ((double) count * other.count / n);
    }
    count = n;
  }

  /**
   * The statistics.
   *
   * @throws IllegalStateException if fewer than 2 images were added
   */
  PixelErrorStatistics statistics() {
    if (count < 2 || count > Integer.MAX_VALUE) {
      throw new IllegalStateException("pixel statistics need between 2 and 2^31 - 1 images, but had " + count);
    }
    float[] m = new float[mean.length];
    float[] v = new float[mean.length];
    for (int k = 0; k < m.length; k++) {
      m[k] = (float) mean[k];
      v[k] = (float) Math.max(0, m2[k] / (count - 1));
    }
    return PixelErrorStatistics.of(shape(), (int) count, m, v);
  }
}
