package org.drift4j.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.drift4j.ImageBatch;
import org.drift4j.internal.AtomicFiles;
import org.drift4j.internal.Streams;
import org.drift4j.spi.Autoencoder;

/**
 * The record that an ONNX model computes the same function as another autoencoder (typically the
 * DL4J model it was exported from), so that baselines computed with one apply to the other.
 *
 * <p>How fingerprints work across engines: an {@link OnnxAutoencoder} normally has its own
 * fingerprint, {@code onnx-sha256:<hash of the model bytes>}, and a detector refuses a baseline
 * computed with another model. When a verification record sits next to the model file
 * ({@code model.onnx.verification.json}), names the SHA-256 of exactly these model bytes, and
 * records a maximum absolute difference within its tolerance, the ONNX model takes the source's
 * fingerprint instead: the DL4J model's baseline then applies to it. Editing the ONNX file breaks
 * the hash and so the equivalence. The same holds for a model loaded from a URL (a class-path
 * resource, say), with the record at the same URL plus {@value #SUFFIX}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sourceFingerprint fingerprint of the reference autoencoder
 * @param onnxSha256 SHA-256 (hex) of the ONNX model bytes that were compared
 * @param images number of images compared
 * @param maxAbsDifference largest absolute difference of any reconstructed pixel
 * @param tolerance the largest difference accepted
 * @param createdAt when the comparison ran
 */
public record OnnxVerification(String sourceFingerprint, String onnxSha256, int images, double maxAbsDifference,
    double tolerance, Instant createdAt) {

  /** Default tolerance: 1e-5 per pixel. */
  public static final double DEFAULT_TOLERANCE = 1e-5;

  /** File name suffix of the record next to a model file. */
  public static final String SUFFIX = ".verification.json";

  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
      .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /**
   * Checks the fields.
   *
   * @param sourceFingerprint fingerprint of the reference autoencoder
   * @param onnxSha256 SHA-256 (hex) of the ONNX model bytes that were compared
   * @param images number of images compared
   * @param maxAbsDifference largest absolute difference of any reconstructed pixel
   * @param tolerance the largest difference accepted
   * @param createdAt when the comparison ran
   */
  public OnnxVerification {
    Objects.requireNonNull(sourceFingerprint, "sourceFingerprint");
    Objects.requireNonNull(onnxSha256, "onnxSha256");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** {@return whether the difference is within the tolerance} */
  public boolean passed() {
    return maxAbsDifference <= tolerance;
  }

  /**
   * Reconstructs {@code images} with both models and records the largest difference.
   *
   * @param source the reference autoencoder
   * @param onnx its ONNX export
   * @param images the images to compare them on
   * @param tolerance the largest difference accepted
   * @return the record
   * @throws IllegalArgumentException if the shapes differ or the tolerance is not positive
   */
  public static OnnxVerification compare(Autoencoder source, OnnxAutoencoder onnx, ImageBatch images, double tolerance) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(onnx, "onnx");
    Objects.requireNonNull(images, "images");
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be greater than 0, but was " + tolerance);
    }
    if (!source.inputShape().equals(onnx.inputShape())) {
      throw new IllegalArgumentException("onnx input shape must equal the source's " + source.inputShape() + ", but was "
          + onnx.inputShape());
    }
    float[][] a = source.reconstruct(images);
    float[][] b = onnx.reconstruct(images);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int p = 0; p < a[i].length; p++) {
        max = Math.max(max, Math.abs((double) a[i][p] - b[i][p]));
      }
    }
    return new OnnxVerification(source.fingerprint(), onnx.modelSha256(), images.size(), max, tolerance, Instant.now());
  }

  /**
   * The record's path for a model file: {@code <model>.verification.json}.
   *
   * @param model the ONNX model file
   * @return the record's path
   */
  public static Path pathFor(Path model) {
    return model.resolveSibling(model.getFileName() + SUFFIX);
  }

  /**
   * Writes this record next to {@code model}, atomically.
   *
   * @param model the ONNX model file
   * @throws IOException if the record cannot be written; a previous one is then untouched
   */
  public void writeFor(Path model) throws IOException {
    AtomicFiles.write(pathFor(model), JSON.writeValueAsBytes(this));
  }

  /**
   * Reads a record written by {@link #writeFor}, from a stream (read to its end, not closed).
   *
   * @param in the record's JSON
   * @param source what the stream is, for messages (a resource name or URL)
   * @return the record
   * @throws OnnxModelException if the bytes are not a valid verification record
   * @throws IOException if the stream cannot be read
   */
  public static OnnxVerification read(InputStream in, String source) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    byte[] bytes = in.readAllBytes();
    try {
      return JSON.readValue(bytes, OnnxVerification.class);
    } catch (IOException | RuntimeException e) {
      throw new OnnxModelException(source + ": not a valid verification record: " + e.getMessage(), e);
    }
  }

  /** Reads the record beside a model at {@code model}'s URL, or null if there is none. */
  static OnnxVerification readFor(URL model) throws IOException {
    URL record = new URL(model, "./" + fileName(model) + SUFFIX);
    try (InputStream in = Streams.open(record)) {
      return read(in, record.toString());
    } catch (FileNotFoundException | NoSuchFileException e) {
      return null;
    }
  }

  private static String fileName(URL url) {
    String path = url.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Reads the record next to {@code model}, or null if there is none. */
  static OnnxVerification readFor(Path model) throws IOException {
    Path file = pathFor(model);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), OnnxVerification.class);
    } catch (IOException | RuntimeException e) {
      throw new OnnxModelException(file + ": not a valid verification record: " + e.getMessage(), e);
    }
  }
}
