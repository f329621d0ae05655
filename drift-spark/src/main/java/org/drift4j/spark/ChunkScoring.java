package org.drift4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.drift4j.ImageBatch;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.spi.Autoencoder;

/**
 * Decodes and scores one chunk of rows with one engine call; a row whose image cannot be made, or
 * that the engine cannot score, gets a problem instead of an error. Not thread-safe: one per task.
 */
final class ChunkScoring {

  /** One chunk's outcome, per row: an error, or NaN and a problem. */
  static final class Scores {
    private final double[] errors;
    private final String[] problems;

    Scores(double[] errors, String[] problems) {
      this.errors = errors;
      this.problems = problems;
    }

    double[] errors() {
      return errors;
    }

    String[] problems() {
      return problems;
    }
  }

  private final Autoencoder autoencoder;
  private final ImageColumn column;
  private final int imageIndex;
  private final ReconstructionError measure;
  private final ImagePreprocessing preprocessing;
  private final ImageShape shape;

  ChunkScoring(Autoencoder autoencoder, ImageColumn column, int imageIndex, ReconstructionError measure,
      ImagePreprocessing preprocessing) {
    this.autoencoder = autoencoder;
    this.column = column;
    this.imageIndex = imageIndex;
    this.measure = measure;
    this.preprocessing = preprocessing;
    this.shape = autoencoder.inputShape();
  }

  /**
   * Scores {@code rows}; with {@code pixels} non-null, also adds the scored images' per-pixel
   * errors to it (a second engine call, for reconstructions).
   */
  Scores score(List<Row> rows, PixelMoments pixels) {
    int n = rows.size();
    double[] errors = new double[n];
    String[] problems = new String[n];
    List<ImageBatch> images = new ArrayList<>(n);
    int[] rowOf = new int[n];
    for (int i = 0; i < n; i++) {
      errors[i] = Double.NaN;
      try {
        images.add(column.image(rows.get(i), imageIndex, shape, preprocessing));
        rowOf[images.size() - 1] = i;
      } catch (RuntimeException e) {
        problems[i] = message(e);
      }
    }
    if (images.isEmpty()) {
      return new Scores(errors, problems);
    }
    ImageBatch batch = ImageBatch.concat(images);
    try {
      double[] scored = checked(autoencoder.errors(batch, measure), batch.size());
      if (pixels != null) {
        pixels.add(batch, autoencoder.reconstruct(batch), measure);
      }
      for (int j = 0; j < scored.length; j++) {
        errors[rowOf[j]] = scored[j];
      }
    } catch (RuntimeException chunkFailed) {
      // one image the engine cannot score must not cost its chunk: score them one by one
      for (int j = 0; j < images.size(); j++) {
        try {
          ImageBatch one = images.get(j);
          double error = checked(autoencoder.errors(one, measure), 1)[0];
          if (pixels != null) {
            pixels.add(one, autoencoder.reconstruct(one), measure);
          }
          errors[rowOf[j]] = error;
        } catch (RuntimeException e) {
          problems[rowOf[j]] = "the engine could not score the image: " + message(e);
        }
      }
    }
    return new Scores(errors, problems);
  }

  private static double[] checked(double[] errors, int expected) {
    if (errors == null || errors.length != expected) {
      throw new IllegalStateException("the autoencoder must return " + expected + " errors, but returned "
          + (errors == null ? "null" : errors.length));
    }
    for (int i = 0; i < errors.length; i++) {
      if (!(errors[i] >= 0 && errors[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalStateException("error of image " + i + " must be finite and non-negative, but was " + errors[i]);
      }
    }
    return errors;
  }

  static String message(Throwable e) {
    String text = e.getMessage();
    return text == null || text.isBlank() ? e.getClass().getSimpleName() : text;
  }
}
