package org.drift4j.onnx;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.function.Function;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.internal.AtomicFiles;
import org.drift4j.internal.Streams;
import org.drift4j.spi.Autoencoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record that an ONNX model computes the same function as another autoencoder (typically the
 * DL4J model it was exported from), so that baselines computed with one apply to the other.
 *
 * <p>How fingerprints work across engines: an {@link OnnxAutoencoder} normally has its own
 * fingerprint, {@code onnx-sha256:<hash of the model bytes>}, and a detector refuses a baseline
 * computed with another model. A record next to the model file
 * ({@code model.onnx.verification.json}) lets the ONNX model take the source's fingerprint
 * instead, so the source's baseline applies, when everything it claims still holds at load:
 * <ol>
 *   <li>its comparison passed (largest difference within its tolerance);
 *   <li>it names the SHA-256 of exactly these ONNX bytes;
 *   <li>it holds a sample (a few of the compared images and the source's reconstructions of
 *       them), and the ONNX model, run on the sample at load, reproduces them within the
 *       tolerance;
 *   <li>where the source's file it names (e.g. {@code model.zip}) sits next to the model, that
 *       file's SHA-256 is the recorded one and, for a Drift4j DL4J model, the fingerprint inside
 *       it is the recorded source fingerprint.
 * </ol>
 * Otherwise the record is ignored, with a warning saying which claim failed, and the model keeps
 * its own fingerprint (so the source's baseline is refused). A record written before samples
 * were recorded is read, and ignored with a warning: train again to bind it.
 *
 * <h2>Trust model</h2>
 * The record is an integrity check, not a signature. It protects against accidents and mix-ups:
 * an ONNX file edited or replaced after the export (hash), a record copied next to another model
 * or hand-edited to name another model's hash (the sample no longer reproduces), a
 * {@code model.zip} replaced by a later training while the old export stayed (source hash), a
 * record edited to claim another source's fingerprint (the fingerprint inside {@code model.zip}).
 * It cannot protect against someone who can write the model folder: whoever can write the
 * files can write a consistent forgery (run their model on a sample, record its own outputs,
 * hash their files). Protect the folder as you protect the model itself: file permissions, a
 * read-only deployment, or a checksum kept elsewhere.
 *
 * <p>The same holds for a model loaded from a URL (a class-path resource, say), with the record at
 * the same URL plus {@value #SUFFIX}; the source file is then not checked (there is no folder).
 *
 * <p>Immutable and thread-safe.
 *
 * @param sourceFingerprint fingerprint of the reference autoencoder
 * @param onnxSha256 SHA-256 (hex) of the ONNX model bytes that were compared
 * @param images number of images compared
 * @param maxAbsDifference largest absolute difference of any reconstructed pixel
 * @param tolerance the largest difference accepted
 * @param createdAt when the comparison ran
 * @param sourceFile file name of the source model next to the ONNX file (e.g. {@code model.zip}),
 *     or null if not bound to one
 * @param sourceFileSha256 SHA-256 (hex) of that file's bytes, or null
 * @param sample images and the source's reconstructions of them, re-run at load; null in records
 *     written before samples were recorded
 */
public record OnnxVerification(String sourceFingerprint, String onnxSha256, int images, double maxAbsDifference,
    double tolerance, Instant createdAt, String sourceFile, String sourceFileSha256, VerificationSample sample) {

  /** Default tolerance: 1e-5 per pixel. */
  public static final double DEFAULT_TOLERANCE = 1e-5;

  /** File name suffix of the record next to a model file. */
  public static final String SUFFIX = ".verification.json";

  /** The most bytes a record file may hold (a sample of large images included). */
  static final long MAX_RECORD_BYTES = 16L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(OnnxVerification.class);

  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
      .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Checks the fields.
   *
   * @param sourceFingerprint fingerprint of the reference autoencoder
   * @param onnxSha256 SHA-256 (hex) of the ONNX model bytes that were compared
   * @param images number of images compared
   * @param maxAbsDifference largest absolute difference of any reconstructed pixel
   * @param tolerance the largest difference accepted
   * @param createdAt when the comparison ran
   * @param sourceFile file name of the source model next to the ONNX file (a name, not a path), or
   *     null
   * @param sourceFileSha256 SHA-256 (hex) of that file's bytes, or null
   * @param sample images and the source's reconstructions of them, or null
   */
  public OnnxVerification {
    Objects.requireNonNull(sourceFingerprint, "sourceFingerprint");
    Objects.requireNonNull(onnxSha256, "onnxSha256");
    Objects.requireNonNull(createdAt, "createdAt");
    if ((sourceFile == null) != (sourceFileSha256 == null)) {
      throw new IllegalArgumentException("sourceFile and sourceFileSha256 must be given together, but were "
          + sourceFile + " and " + sourceFileSha256);
    }
    if (sourceFile != null && (sourceFile.isEmpty() || sourceFile.contains("/") || sourceFile.contains("\\")
        || sourceFile.equals(".") || sourceFile.equals(".."))) {
      throw new IllegalArgumentException("sourceFile must be the name of a file next to the ONNX file, but was '"
          + sourceFile + "'");
    }
  }

  /** {@return whether the difference is within the tolerance} */
  public boolean passed() {
    return maxAbsDifference <= tolerance;
  }

  /**
   * Reconstructs {@code images} with both models, records the largest difference, and keeps a
   * sample of the images with the source's reconstructions (up to 4 images, 65,536 values).
   *
   * @param source the reference autoencoder
   * @param onnx its ONNX export
   * @param images the images to compare them on
   * @param tolerance the largest difference accepted
   * @return the record, bound to no source file ({@link #withSourceFile})
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
    double max = VerificationSample.maxDifference(a, b);
    return new OnnxVerification(source.fingerprint(), onnx.modelSha256(), images.size(), max, tolerance, Instant.now(),
        null, null, VerificationSample.of(images, a));
  }

  /**
   * This record bound to the source model's file, which must sit next to the ONNX file: at load
   * its SHA-256 (and, for a Drift4j DL4J model, the fingerprint inside it) must be what is recorded
   * here.
   *
   * @param file the source model's file, e.g. {@code model.zip}
   * @return the bound record
   * @throws IOException if the file cannot be read
   */
  public OnnxVerification withSourceFile(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    String hash = Hashes.sha256(file);
    return new OnnxVerification(sourceFingerprint, onnxSha256, images, maxAbsDifference, tolerance, createdAt,
        file.getFileName().toString(), hash, sample);
  }

  /**
   * Why this record does not apply to a model, or null if it does (see the class description).
   *
   * @param hash the model's SHA-256
   * @param reconstruct the model's reconstruction, to re-run the sample
   * @param shape the model's input shape
   * @param modelFile the ONNX file, next to which the source file is looked for; null when the
   *     model did not come from a file
   */
  String refusal(String hash, ImageShape shape, Function<ImageBatch, float[][]> reconstruct, Path modelFile)
      throws IOException {
    if (!passed()) {
      return "its comparison failed: largest difference " + maxAbsDifference + ", tolerance " + tolerance;
    }
    if (!onnxSha256.equals(hash)) {
      return "it is for ONNX bytes with SHA-256 " + onnxSha256 + ", but this model's are " + hash
          + " (the model was edited or replaced after the record was written)";
    }
    if (sample == null) {
      return "it holds no sample to re-run (written by an older Drift4j); run 'drift4j train' again to bind the export"
          + " to its source";
    }
    String sampleRefusal = sample.refusal(shape, reconstruct, tolerance);
    if (sampleRefusal != null) {
      return sampleRefusal;
    }
    if (sourceFile != null && modelFile != null) {
      Path source = modelFile.resolveSibling(sourceFile);
      if (Files.isRegularFile(source)) {
        String actual = Hashes.sha256(source);
        if (!actual.equals(sourceFileSha256)) {
          return source + " has SHA-256 " + actual + ", not the recorded " + sourceFileSha256
              + " (it was replaced, e.g. by a later training, without a new export)";
        }
        String inside = VerificationSample.dl4jFingerprint(source);
        if (inside != null && !inside.equals(sourceFingerprint)) {
          return source + " holds the model " + inside + ", not the recorded source " + sourceFingerprint;
        }
      }
    }
    return null;
  }

  /**
   * {@code own} with {@code record}'s source fingerprint if every claim of the record holds;
   * otherwise {@code own} with its own fingerprint, after a warning naming the failed claim, or,
   * when {@code strict}, an IllegalArgumentException (and {@code own} closed).
   */
  static OnnxAutoencoder adopt(OnnxVerification record, OnnxAutoencoder own, Path file, boolean strict)
      throws IOException {
    String refusal;
    try {
      refusal = record.refusal(own.modelSha256(), own.inputShape(), own::reconstruct, file);
    } catch (IOException | RuntimeException e) {
      own.close();
      throw e;
    }
    if (refusal == null) {
      return new OnnxAutoencoder(own, record);
    }
    String where = file == null ? "the verification record" : "verification record " + pathFor(file);
    if (strict) {
      own.close();
      throw new IllegalArgumentException(where + " does not apply to this model: " + refusal);
    }
    LOG.warn("Drift4j: {} does not apply, so the model keeps its own fingerprint {} and baselines of {} are refused: {}",
        where, own.fingerprint(), record.sourceFingerprint(), refusal);
    return own;
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
      if (Files.size(file) > MAX_RECORD_BYTES) {
        throw new OnnxModelException(file + ": not a valid verification record: it holds " + Files.size(file)
            + " bytes, more than the " + MAX_RECORD_BYTES + " a record may hold");
      }
      JsonNode node = JSON.readTree(Files.readAllBytes(file));
      return JSON.treeToValue(node, OnnxVerification.class);
    } catch (OnnxModelException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new OnnxModelException(file + ": not a valid verification record: " + e.getMessage(), e);
    }
  }
}
