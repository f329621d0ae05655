package org.drift4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;

/**
 * A few images and the source model's reconstructions of them, kept in an
 * {@link OnnxVerification} so that loading can check that the ONNX model still computes what the
 * source did. Values are float32, little-endian, Base64.
 *
 * <p>Immutable and thread-safe.
 *
 * @param shape the images' shape, as {@link ImageShape#toString()} gives it ({@code 1x28x28})
 * @param count how many images
 * @param inputs their pixels, image after image
 * @param reconstructions the source's reconstructions, image after image
 */
public record VerificationSample(String shape, int count, String inputs, String reconstructions) {

  /** The most images a sample keeps. */
  static final int MAX_IMAGES = 4;
  /** The most values a sample keeps (of inputs, beyond its first image). */
  static final int MAX_VALUES = 65_536;

  /**
   * Checks presence.
   *
   * @param shape the images' shape
   * @param count how many images
   * @param inputs their pixels
   * @param reconstructions the source's reconstructions
   */
  public VerificationSample {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(reconstructions, "reconstructions");
  }

  /** The first images of {@code images} (up to the limits) with {@code reconstructions} of them. */
  static VerificationSample of(ImageBatch images, float[][] reconstructions) {
    int size = images.shape().size();
    int count = Math.max(1, Math.min(Math.min(MAX_IMAGES, images.size()), MAX_VALUES / size));
    float[] in = new float[count * size];
    images.copyTo(0, count, in, 0);
    float[] out = new float[count * size];
    for (int i = 0; i < count; i++) {
      System.arraycopy(reconstructions[i], 0, out, i * size, size);
    }
    return new VerificationSample(images.shape().toString(), count, encode(in), encode(out));
  }

  /** Why the model's reconstructions of this sample are not the recorded ones, or null. */
  String refusal(ImageShape modelShape, Function<ImageBatch, float[][]> reconstruct, double tolerance) {
    if (!shape.equals(modelShape.toString())) {
      return "its sample is of " + shape + " images, but the model takes " + modelShape;
    }
    float[] in;
    float[] expected;
    try {
      in = decode(inputs);
      expected = decode(reconstructions);
    } catch (IllegalArgumentException e) {
      return "its sample is not valid Base64 float32: " + e.getMessage();
    }
    int size = modelShape.size();
    if (count < 1 || in.length != (long) count * size || expected.length != in.length) {
      return "its sample must hold " + count + " images of " + size + " values, but holds " + in.length + " inputs and "
          + expected.length + " reconstructions";
    }
    float[][] actual = reconstruct.apply(ImageBatch.ofFlat(modelShape, in));
    float[][] recorded = new float[count][size];
    for (int i = 0; i < count; i++) {
      System.arraycopy(expected, i * size, recorded[i], 0, size);
    }
    double worst = maxDifference(recorded, actual);
    if (!(worst <= tolerance)) {
      return "this model's reconstructions of its sample differ from the source's by " + worst + " (tolerance "
          + tolerance + "): the record belongs to another model";
    }
    return null;
  }

  static double maxDifference(float[][] a, float[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int p = 0; p < a[i].length; p++) {
        double d = Math.abs((double) a[i][p] - b[i][p]);
        if (Double.isNaN(d)) {
          return Double.POSITIVE_INFINITY;
        }
        max = Math.max(max, d);
      }
    }
    return max;
  }

  /**
   * The fingerprint recorded in a Drift4j DL4J model file's {@code drift4j-model.json}, or null if
   * the file is not such a file (streamed up to that entry, read at most 1 MiB of it).
   */
  static String dl4jFingerprint(Path modelZip) {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(modelZip))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        if (entry.getName().equals("drift4j-model.json")) {
          byte[] json = zip.readNBytes(1 << 20);
          JsonNode fingerprint = new ObjectMapper().readTree(json).get("fingerprint");
          return fingerprint == null ? null : fingerprint.asText();
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static String encode(float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static float[] decode(String base64) {
    byte[] bytes = Base64.getDecoder().decode(base64);
    if (bytes.length % Float.BYTES != 0) {
      throw new IllegalArgumentException(bytes.length + " bytes is not a whole number of float32 values");
    }
    float[] values = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
