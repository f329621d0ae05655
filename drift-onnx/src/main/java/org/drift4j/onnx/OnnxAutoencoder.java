package org.drift4j.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.internal.CallGate;
import org.drift4j.internal.Streams;
import org.drift4j.spi.Autoencoder;

/**
 * An {@link Autoencoder} on ONNX Runtime: any ONNX model with one float input of shape
 * [N, C, H, W] (N dynamic) and one output of the same shape, such as a PyTorch or Keras
 * autoencoder exported to ONNX, or a DL4J one exported by drift-dl4j's {@code Dl4jOnnxExporter}.
 *
 * <pre>{@code
 * try (OnnxAutoencoder autoencoder = OnnxAutoencoder.load(Path.of("autoencoder.onnx"))) {
 *   Baseline baseline = Baseline.compute(autoencoder, validationImages, ReconstructionError.MEAN_SQUARED_ERROR);
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: its ONNX Runtime sessions are shared by all callers (their {@code run} is safe
 * for concurrent use), so {@code check} can run on many request threads at once. Each call uses up
 * to {@link OnnxConfig#threads()} threads: a batch is cut into that many slices of at least
 * {@link OnnxConfig#minSliceValues()} pixel values, scored at once by single-threaded runs, one on
 * the calling thread and the others on this model's helper threads (idle ones end after 30 s). A
 * batch too small to cut runs on the calling thread alone, except a single image of at least
 * twice that many values, which ONNX Runtime spreads over its own threads.
 *
 * <p>{@link #errors}: with the Java Vector API (the JVM started with
 * {@code --add-modules jdk.incubator.vector}) each slice's reconstructions are scored on its own
 * thread with vector instructions, logarithms included; otherwise ONNX Runtime computes the errors
 * in the same run as the reconstruction, through a small error head appended to the model on first
 * use of a measure (one more session, holding the model's weights again, per measure).
 *
 * <p>Ownership and closing: whoever loads the model closes it. {@link #close()} refuses new calls
 * at once, waits for the calls in flight to finish, then frees the native sessions and stops the
 * helper threads; a call after it fails with an {@link IllegalStateException}.
 */
public final class OnnxAutoencoder implements Autoencoder, AutoCloseable {

  /**
   * Batches of up to this many values have their squared or absolute errors computed in Java:
   * ONNX Runtime spends about a microsecond dispatching each of the head's dozen nodes, while Java
   * adds a squared difference in about 3 ns, so below this size Java is cheaper (measured at 1 to 4
   * images of 28×28: about +5% over the engine in Java against +8 to +18% through the head).
   * Binary cross-entropy's two logarithms per pixel stay in the head at every size.
   */
  static final int JAVA_MEASURE_MAX_VALUES = 3_000;


  private final OnnxSessions sessions;
  private final OnnxBatchSlicer slicer;
  private final OnnxRuns runs;
  private final CallGate gate = new CallGate("this OnnxAutoencoder");
  private final OnnxConfig config;
  private final ImageShape shape;
  private final String modelSha256;
  private final String fingerprint;
  private final OnnxVerification verification;

  private OnnxAutoencoder(OnnxSessions sessions, OnnxConfig config, String modelSha256) {
    this.sessions = sessions;
    this.config = config;
    this.shape = sessions.shape();
    this.modelSha256 = modelSha256;
    this.verification = null;
    this.fingerprint = "onnx-sha256:" + modelSha256;
    int chunk;
    try {
      chunk = OnnxBatchSlicer.chunkImages(sessions, config);
    } catch (IllegalArgumentException e) {
      sessions.close();
      throw e;
    }
    this.slicer = new OnnxBatchSlicer(config.threads(), chunk, config.minSliceValues(), shape.size());
    this.runs = new OnnxRuns(sessions);
  }

  /** {@code own} with the source fingerprint of {@code verification}, sharing its sessions and threads. */
  OnnxAutoencoder(OnnxAutoencoder own, OnnxVerification verification) {
    this.sessions = own.sessions;
    this.config = own.config;
    this.shape = own.shape;
    this.modelSha256 = own.modelSha256;
    this.slicer = own.slicer;
    this.runs = own.runs;
    this.verification = verification;
    this.fingerprint = verification.sourceFingerprint();
  }

  /**
   * Loads an ONNX model file with the default config; see {@link #load(Path, OnnxConfig)}.
   *
   * @param file the model file
   * @return the autoencoder
   * @throws IOException as {@link #load(Path, OnnxConfig)}
   */
  public static OnnxAutoencoder load(Path file) throws IOException {
    return load(file, OnnxConfig.ofDefaults());
  }

  /**
   * Loads an ONNX model file. An {@link OnnxVerification} record next to it gives the model its
   * source's fingerprint if every claim of the record holds: it passed, names exactly these bytes,
   * its sample reproduces, and the source file it names, if present, is the recorded one. A record
   * that does not apply is ignored with a warning saying why.
   *
   * @param file the model file
   * @param config how to run it
   * @return the autoencoder
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws OnnxModelException if it is not an ONNX model or not an image autoencoder, or its
   *     verification record is not valid JSON
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the model's metadata says one image needs more memory
   *     than {@link OnnxConfig#maxChunkBytes()} (the message names the budget and what it needs)
   */
  public static OnnxAutoencoder load(Path file, OnnxConfig config) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(config, "config");
    return open(Files.readAllBytes(file), OnnxVerification.readFor(file), config, file.toString(), file);
  }

  /**
   * Loads an ONNX model from a URL: a {@code file:} URL, a class-path resource ({@code jar:} or
   * {@code file:}, as {@link Class#getResource} gives) or {@code http(s):}. A record beside it (the
   * model's name plus {@value OnnxVerification#SUFFIX}, at the same location) is checked as for a
   * file, except for the source file it names, which a URL has no folder to find.
   *
   * @param url where the model is
   * @param config how to run it
   * @return the autoencoder
   * @throws java.io.FileNotFoundException if nothing is at the URL
   * @throws OnnxModelException if it is not an ONNX image autoencoder, or the record beside it
   *     is not a valid record
   * @throws IOException if the URL cannot be read
   * @throws IllegalArgumentException if the model's metadata says one image needs more memory
   *     than {@link OnnxConfig#maxChunkBytes()}
   */
  public static OnnxAutoencoder load(URL url, OnnxConfig config) throws IOException {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(config, "config");
    byte[] bytes;
    try (InputStream in = Streams.open(url)) {
      bytes = in.readAllBytes();
    }
    return open(bytes, OnnxVerification.readFor(url), config, url.toString(), null);
  }

  private static OnnxAutoencoder open(byte[] bytes, OnnxVerification record, OnnxConfig config, String source,
      Path file) throws IOException {
    OnnxAutoencoder own;
    try {
      own = new OnnxAutoencoder(OnnxSessions.open(bytes, config.threads()), config, Hashes.sha256(bytes));
    } catch (OnnxModelException e) {
      throw new OnnxModelException(source + ": " + e.getMessage(), e.getCause());
    }
    return record == null ? own : OnnxVerification.adopt(record, own, file, false);
  }

  /**
   * An autoencoder from model bytes, with its own fingerprint ({@code onnx-sha256:<hash>}).
   *
   * @param model the ONNX model's bytes
   * @param config how to run it
   * @return the autoencoder
   * @throws OnnxModelException if the bytes are not an ONNX model or not an image autoencoder
   * @throws IllegalArgumentException if the model's metadata says one image needs more memory
   *     than {@link OnnxConfig#maxChunkBytes()}
   */
  public static OnnxAutoencoder fromBytes(byte[] model, OnnxConfig config) throws OnnxModelException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(config, "config");
    return new OnnxAutoencoder(OnnxSessions.open(model, config.threads()), config, Hashes.sha256(model));
  }

  /**
   * An autoencoder from model bytes that takes {@code verification}'s source fingerprint.
   *
   * @param model the ONNX model's bytes
   * @param config how to run it
   * @param verification a passing record for exactly these bytes, with a sample they reproduce
   *     (its source file is not checked: there is no folder to find it in)
   * @return the autoencoder
   * @throws IllegalArgumentException if the record does not apply to these bytes, saying why, or the
   *     model's metadata says one image needs more memory than {@link OnnxConfig#maxChunkBytes()}
   * @throws OnnxModelException if the bytes are not an ONNX image autoencoder
   */
  public static OnnxAutoencoder fromBytes(byte[] model, OnnxConfig config, OnnxVerification verification)
      throws OnnxModelException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(verification, "verification");
    OnnxAutoencoder own = new OnnxAutoencoder(OnnxSessions.open(model, config.threads()), config, Hashes.sha256(model));
    try {
      return OnnxVerification.adopt(verification, own, null, true);
    } catch (IOException e) {
      throw new IllegalStateException("unreachable: no source file is read without a folder", e);
    }
  }

  @Override
  public ImageShape inputShape() {
    return shape;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the batch's shape differs from {@link #inputShape()}
   * @throws IllegalStateException if ONNX Runtime fails, with its cause, or the model is closed
   */
  @Override
  public float[][] reconstruct(ImageBatch batch) {
    requireShape(batch);
    return gate.call(() -> reconstructOpen(batch));
  }

  private float[][] reconstructOpen(ImageBatch batch) {
    float[][] rows = new float[batch.size()][];
    slicer.run(batch.size(), sessions::reconstruction, (run, from, to) -> runs.reconstructInto(run, batch, from, to, rows));
    return rows;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Computed in float, within 1e-5 relative of {@link ReconstructionError}'s double-precision
   * loop, by the Java Vector API or ONNX Runtime's error head (see the class description). A slice
   * holding a non-finite reconstruction, and a model the head cannot be added to (opset below 8),
   * are scored in Java, which names any invalid value; so are squared and absolute errors of
   * batches of up to {@value #JAVA_MEASURE_MAX_VALUES} pixel values, cheaper there.
   *
   * @throws IllegalArgumentException if the batch's shape differs from {@link #inputShape()}
   * @throws IllegalStateException if ONNX Runtime fails, with its cause, if a reconstruction is
   *     not finite, or if the model is closed
   */
  @Override
  public double[] errors(ImageBatch batch, ReconstructionError measure) {
    requireShape(batch);
    Objects.requireNonNull(measure, "measure");
    return gate.call(() -> errorsOpen(batch, measure));
  }

  private double[] errorsOpen(ImageBatch batch, ReconstructionError measure) {
    double[] errors = new double[batch.size()];
    switch (errorPath(batch, measure)) {
      case VECTOR -> slicer.run(batch.size(), sessions::reconstruction,
          (run, from, to) -> runs.vectorErrorsInto(run, batch, from, to, measure, errors));
      case HEAD -> slicer.run(batch.size(), multiThread -> sessions.head(measure, multiThread).orElseThrow(),
          (run, from, to) -> runs.headErrorsInto(run, batch, from, to, measure, errors));
      case JAVA -> {
        return measure.errors(batch, reconstructOpen(batch));
      }
    }
    return errors;
  }

  /** Where a batch's errors are computed. */
  private enum ErrorPath { VECTOR, HEAD, JAVA }

  private ErrorPath errorPath(ImageBatch batch, ReconstructionError measure) {
    if (usesVectorApi()) {
      return ErrorPath.VECTOR;
    }
    if (config.vectorErrors()) {
      VectorSupport.tellOnceWhyNot();
    }
    boolean smallAndCheap = measure != ReconstructionError.BINARY_CROSS_ENTROPY
        && (long) batch.size() * shape.size() <= JAVA_MEASURE_MAX_VALUES;
    return smallAndCheap || sessions.head(measure, false).isEmpty() ? ErrorPath.JAVA : ErrorPath.HEAD;
  }

  /**
   * Whether {@link #errors} uses the Java Vector API: {@link OnnxConfig#vectorErrors()} and a JVM
   * started with {@code --add-modules jdk.incubator.vector} (false: ONNX Runtime's error head).
   *
   * @return true if the Vector API computes errors
   */
  public boolean usesVectorApi() {
    return config.vectorErrors() && VectorSupport.AVAILABLE;
  }

  /** How batches are cut and run, for tests. */
  OnnxBatchSlicer slicer() {
    return slicer;
  }

  private void requireShape(ImageBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (!batch.shape().equals(shape)) {
      throw new IllegalArgumentException("batch shape must be " + shape + " (the model's input shape), but was "
          + batch.shape());
    }
  }

  /** Whether an ONNX error head can compute {@code measure} (false: Java does, the head could not be added). */
  boolean computesErrorsNatively(ReconstructionError measure) {
    return gate.call(() -> sessions.head(measure, false).isPresent());
  }

  /**
   * {@code onnx-sha256:<model hash>}, or the source's fingerprint when a passing verification
   * record applies (see {@link OnnxVerification}).
   */
  @Override
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * SHA-256 (hex) of the model bytes.
   *
   * @return the hash
   */
  public String modelSha256() {
    return modelSha256;
  }

  /**
   * The verification record that gave this model its fingerprint, if any.
   *
   * @return the record, or empty
   */
  public Optional<OnnxVerification> verification() {
    return Optional.ofNullable(verification);
  }

  /**
   * How this model runs.
   *
   * @return the config
   */
  public OnnxConfig config() {
    return config;
  }

  /**
   * Refuses new calls, waits for the calls in flight to finish, then frees the native sessions and
   * stops the helper threads. Idempotent; must not be called from a listener of a call in flight.
   */
  @Override
  public void close() {
    gate.close(() -> {
      slicer.close();
      sessions.close();
    });
  }

  @Override
  public String toString() {
    return "OnnxAutoencoder[" + shape + ", " + fingerprint + "]";
  }
}
