package org.drift4j.testkit;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.spi.Autoencoder;

/**
 * The pure-Java reference autoencoder: principal component analysis. The encoder projects an image
 * (minus the mean image) on the top {@code k} principal directions of the training images; the
 * decoder maps the code back and clips to [0, 1]. It is linear, small and exact, so it exercises
 * the whole API without a deep-learning framework, and it is the simplest useful custom
 * autoencoder a user can copy. Immutable and thread-safe.
 */
public final class PcaAutoencoder implements Autoencoder {

  private final ImageShape shape;
  private final float[] mean;
  private final float[][] components;
  private final String fingerprint;

  private PcaAutoencoder(ImageShape shape, float[] mean, float[][] components) {
    this.shape = shape;
    this.mean = mean;
    this.components = components;
    this.fingerprint = "pca:" + sha256(mean, components);
  }

  /**
   * Fits {@code k} components by orthogonal (subspace) iteration on the covariance matrix.
   *
   * @throws IllegalArgumentException if {@code k} is not in [1, pixels]
   */
  public static PcaAutoencoder fit(ImageBatch training, int k, long seed) {
    ImageShape shape = training.shape();
    int d = shape.size();
    if (k < 1 || k > d) {
      throw new IllegalArgumentException("k must be in [1, " + d + "], but was " + k);
    }
    int n = training.size();
    double[] mean = new double[d];
    float[] pixels = training.toFlatArray();
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < d; p++) {
        mean[p] += pixels[i * d + p];
      }
    }
    for (int p = 0; p < d; p++) {
      mean[p] /= n;
    }
    double[][] cov = new double[d][d];
    double[] centred = new double[d];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < d; p++) {
        centred[p] = pixels[i * d + p] - mean[p];
      }
      for (int p = 0; p < d; p++) {
        double cp = centred[p];
        if (cp == 0) {
          continue;
        }
        double[] row = cov[p];
        for (int q = 0; q < d; q++) {
          row[q] += cp * centred[q];
        }
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[][] basis = new double[k][d];
    for (double[] v : basis) {
      for (int p = 0; p < d; p++) {
        v[p] = random.nextDouble() - 0.5;
      }
    }
    orthonormalise(basis);
    for (int iteration = 0; iteration < 100; iteration++) {
      double[][] next = new double[k][d];
      for (int j = 0; j < k; j++) {
        for (int p = 0; p < d; p++) {
          double s = 0;
          for (int q = 0; q < d; q++) {
            s += cov[p][q] * basis[j][q];
          }
          next[j][p] = s;
        }
      }
      orthonormalise(next);
      basis = next;
    }
    float[] meanF = new float[d];
    for (int p = 0; p < d; p++) {
      meanF[p] = (float) mean[p];
    }
    float[][] comps = new float[k][d];
    for (int j = 0; j < k; j++) {
      for (int p = 0; p < d; p++) {
        comps[j][p] = (float) basis[j][p];
      }
    }
    return new PcaAutoencoder(shape, meanF, comps);
  }

  @Override
  public ImageShape inputShape() {
    return shape;
  }

  @Override
  public float[][] reconstruct(ImageBatch batch) {
    int d = shape.size();
    float[][] codes = codes(batch);
    float[][] out = new float[batch.size()][d];
    for (int i = 0; i < out.length; i++) {
      float[] o = out[i];
      System.arraycopy(mean, 0, o, 0, d);
      for (int j = 0; j < components.length; j++) {
        float c = codes[i][j];
        float[] comp = components[j];
        for (int p = 0; p < d; p++) {
          o[p] += c * comp[p];
        }
      }
      for (int p = 0; p < d; p++) {
        o[p] = Math.min(1f, Math.max(0f, o[p]));
      }
    }
    return out;
  }

  @Override
  public Optional<float[][]> encode(ImageBatch batch) {
    return Optional.of(codes(batch));
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  /** Number of principal components. */
  public int components() {
    return components.length;
  }

  private float[][] codes(ImageBatch batch) {
    int d = shape.size();
    float[][] codes = new float[batch.size()][components.length];
    float[] x = new float[d];
    for (int i = 0; i < batch.size(); i++) {
      batch.copyTo(i, i + 1, x, 0);
      for (int j = 0; j < components.length; j++) {
        float[] comp = components[j];
        float s = 0;
        for (int p = 0; p < d; p++) {
          s += (x[p] - mean[p]) * comp[p];
        }
        codes[i][j] = s;
      }
    }
    return codes;
  }

  private static void orthonormalise(double[][] vectors) {
    for (int j = 0; j < vectors.length; j++) {
      for (int i = 0; i < j; i++) {
        double dot = 0;
        for (int p = 0; p < vectors[j].length; p++) {
          dot += vectors[j][p] * vectors[i][p];
        }
        for (int p = 0; p < vectors[j].length; p++) {
          vectors[j][p] -= dot * vectors[i][p];
        }
      }
      double norm = 0;
      for (double v : vectors[j]) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      for (int p = 0; p < vectors[j].length; p++) {
        vectors[j][p] = norm > 0 ? vectors[j][p] / norm : 0;
      }
    }
  }

  private static String sha256(float[] mean, float[][] components) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteBuffer buffer = ByteBuffer.allocate(Float.BYTES * mean.length * (components.length + 1));
      for (float v : mean) {
        buffer.putFloat(v);
      }
      for (float[] c : components) {
        for (float v : c) {
          buffer.putFloat(v);
        }
      }
      digest.update(buffer.array());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
