package org.drift4j.testkit;

import java.util.function.Function;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.spi.Autoencoder;

/** Shared fake autoencoders for tests. */
public final class Fakes {

  private Fakes() {}

  /**
   * Rebuilds every image as black, so an image's mean squared error is the mean of its squared
   * pixels: tests choose errors by choosing pixels.
   */
  public static Autoencoder blank(ImageShape shape) {
    return of(shape, "blank", batch -> new float[batch.size()][shape.size()]);
  }

  /**
   * Rebuilds every image as the mean of {@code training} (the example of the SPI's javadoc): each
   * pixel's error depends on that pixel alone, so a change in one part of the images changes the
   * errors there and nowhere else.
   */
  public static Autoencoder meanImage(ImageBatch training) {
    ImageShape shape = training.shape();
    float[] mean = new float[shape.size()];
    for (int i = 0; i < training.size(); i++) {
      for (int p = 0; p < mean.length; p++) {
        mean[p] += training.pixel(i, p) / training.size();
      }
    }
    return of(shape, "mean-image:" + java.util.Arrays.hashCode(mean), batch -> {
      float[][] out = new float[batch.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = mean.clone();
      }
      return out;
    });
  }

  /** An autoencoder whose output is computed by {@code reconstruct}. */
  public static Autoencoder of(ImageShape shape, String fingerprint, Function<ImageBatch, float[][]> reconstruct) {
    return new Autoencoder() {
      @Override
      public ImageShape inputShape() {
        return shape;
      }

      @Override
      public float[][] reconstruct(ImageBatch batch) {
        return reconstruct.apply(batch);
      }

      @Override
      public String fingerprint() {
        return fingerprint;
      }

      @Override
      public String toString() {
        return "Fake[" + fingerprint + "]";
      }
    };
  }

  /** A 1x1x1 batch whose blank-autoencoder MSE errors are exactly {@code errors} (each in [0, 1]). */
  public static ImageBatch withErrors(double... errors) {
    float[] pixels = new float[errors.length];
    for (int i = 0; i < errors.length; i++) {
      pixels[i] = (float) Math.sqrt(errors[i]);
    }
    return ImageBatch.ofFlat(ImageShape.grey(1, 1), pixels);
  }
}
