package org.drift4j.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.spi.Autoencoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Autoencoder} on ONNX Runtime: any ONNX model with one float input of shape
 * [N, C, H, W] (N dynamic) and one output of the same shape, such as a PyTorch or Keras
 * autoencoder exported to ONNX, or a DL4J one exported by drift-dl4j's {@code Dl4jOnnxExporter}.
 *
 * <p>Thread-safe: one ONNX Runtime session is shared by all callers (its {@code run} is safe for
 * concurrent use), so {@code check} can run on many request threads at once. Each call uses up to
 * {@link Options#intraOpThreads()} threads. {@link #errors} runs another session per error
 * measure, made on first use: the model with an error head appended, so that ONNX Runtime returns
 * one error per image; batches of up to four images use a single-threaded one (the model's weights
 * are held once per session). Close it, once no call is in flight, to free the native sessions.
 */
public final class OnnxAutoencoder implements Autoencoder, AutoCloseable {

  /** The most images fed to the session at once. */
  public static final int MAX_CHUNK = 256;

  /** Batches up to this size are scored by a single-threaded session. */
  static final int SINGLE_THREAD_MAX_IMAGES = 4;

  private static final Logger LOG = LoggerFactory.getLogger(OnnxAutoencoder.class);
  private static final Set<String> ERROR_OUTPUTS = Set.of(OnnxErrorGraph.ERROR, OnnxErrorGraph.SUM);

  /**
   * Session settings.
   *
   * @param intraOpThreads threads one reconstruction may use; at least 1
   */
  public record Options(int intraOpThreads) {

    /** One intra-op thread per available processor. */
    public static final Options DEFAULT = new Options(Runtime.getRuntime().availableProcessors());

    /** @throws IllegalArgumentException if {@code intraOpThreads} is below 1 */
    public Options {
      if (intraOpThreads < 1) {
        throw new IllegalArgumentException("intraOpThreads must be at least 1, but was " + intraOpThreads);
      }
    }
  }

  private final OrtSession session;
  /**
   * Sessions of the model with an {@link OnnxErrorGraph} head, one per measure, made on first use;
   * empty where the head could not be added (errors are then computed in Java).
   */
  private final Map<HeadKey, Optional<OrtSession>> errorSessions = new ConcurrentHashMap<>();
  private final byte[] model;
  private final Options options;
  private final String inputName;
  private final String outputName;
  private final ImageShape shape;
  private final String modelSha256;
  private final String fingerprint;
  private final OnnxVerification verification;
  private volatile boolean closed;

  private OnnxAutoencoder(OrtSession session, byte[] model, Options options, String inputName, String outputName,
      ImageShape shape, String modelSha256, OnnxVerification verification) {
    this.session = session;
    this.model = model;
    this.options = options;
    this.inputName = inputName;
    this.outputName = outputName;
    this.shape = shape;
    this.modelSha256 = modelSha256;
    this.verification = verification;
    this.fingerprint = verification != null ? verification.sourceFingerprint() : "onnx-sha256:" + modelSha256;
  }

  /** {@link #load(Path, Options)} with {@link Options#DEFAULT}. */
  public static OnnxAutoencoder load(Path file) throws IOException {
    return load(file, Options.DEFAULT);
  }

  /**
   * Loads an ONNX model file. A passing {@link OnnxVerification} record next to it for exactly
   * these bytes gives the model its source's fingerprint.
   *
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws OnnxModelException if it is not an ONNX model or not an image autoencoder
   */
  public static OnnxAutoencoder load(Path file, Options options) throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] bytes = Files.readAllBytes(file);
    OnnxVerification record = OnnxVerification.readFor(file);
    String hash = sha256(bytes);
    OnnxVerification applicable = record != null && record.passed() && record.onnxSha256().equals(hash) ? record : null;
    try {
      return create(bytes, hash, options, applicable);
    } catch (OnnxModelException e) {
      throw new OnnxModelException(file + ": " + e.getMessage(), e.getCause());
    }
  }

  /**
   * An autoencoder from model bytes.
   *
   * @throws OnnxModelException if the bytes are not an ONNX model or not an image autoencoder
   */
  public static OnnxAutoencoder fromBytes(byte[] model, Options options) throws OnnxModelException {
    Objects.requireNonNull(model, "model");
    return create(model, sha256(model), options, null);
  }

  /**
   * An autoencoder from model bytes that takes {@code verification}'s source fingerprint.
   *
   * @throws IllegalArgumentException if the record is not for these bytes or did not pass
   * @throws OnnxModelException if the bytes are not an ONNX image autoencoder
   */
  public static OnnxAutoencoder fromBytes(byte[] model, Options options, OnnxVerification verification)
      throws OnnxModelException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(verification, "verification");
    String hash = sha256(model);
    if (!verification.passed() || !verification.onnxSha256().equals(hash)) {
      throw new IllegalArgumentException("verification must be for this model (sha256 " + hash + ") and passed, but was"
          + " for " + verification.onnxSha256() + " with difference " + verification.maxAbsDifference() + " (tolerance "
          + verification.tolerance() + ")");
    }
    return create(model, hash, options, verification);
  }

  private static OnnxAutoencoder create(byte[] bytes, String hash, Options options, OnnxVerification verification)
      throws OnnxModelException {
    Objects.requireNonNull(options, "options");
    OrtSession session;
    try {
      session = OrtEnvironment.getEnvironment().createSession(bytes, sessionOptions(options));
    } catch (OrtException e) {
      throw new OnnxModelException("not a valid ONNX model: " + e.getMessage(), e);
    }
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      if (inputs.size() != 1 || outputs.size() != 1) {
        throw new OnnxModelException("model must have 1 input and 1 output, but had " + inputs.size() + " inputs "
            + inputs.keySet() + " and " + outputs.size() + " outputs " + outputs.keySet());
      }
      NodeInfo in = inputs.values().iterator().next();
      NodeInfo out = outputs.values().iterator().next();
      long[] inShape = tensorShape(in, "input");
      long[] outShape = tensorShape(out, "output");
      if (inShape.length != 4 || inShape[1] < 1 || inShape[2] < 1 || inShape[3] < 1) {
        throw new OnnxModelException("model input must have shape [N, C, H, W] with fixed C, H, W, but had "
            + Arrays.toString(inShape));
      }
      if (outShape.length != 4 || !Arrays.equals(Arrays.copyOfRange(inShape, 1, 4), Arrays.copyOfRange(outShape, 1, 4))) {
        throw new OnnxModelException("model output shape must equal its input shape " + Arrays.toString(inShape)
            + ", but was " + Arrays.toString(outShape));
      }
      ImageShape shape = new ImageShape((int) inShape[1], (int) inShape[2], (int) inShape[3]);
      return new OnnxAutoencoder(session, bytes, options, in.getName(), out.getName(), shape, hash, verification);
    } catch (OrtException e) {
      closeQuietly(session);
      throw new OnnxModelException("could not inspect the model: " + e.getMessage(), e);
    } catch (OnnxModelException e) {
      closeQuietly(session);
      throw e;
    }
  }

  private static OrtSession.SessionOptions sessionOptions(Options options) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(options.intraOpThreads());
    so.setInterOpNumThreads(1);
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    return so;
  }

  private static long[] tensorShape(NodeInfo node, String role) throws OnnxModelException {
    if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      throw new OnnxModelException("model " + role + " '" + node.getName() + "' must be a float tensor, but was "
          + node.getInfo());
    }
    return t.getShape();
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
    Objects.requireNonNull(batch, "batch");
    requireShape(batch);
    if (closed) {
      throw new IllegalStateException("this OnnxAutoencoder is closed");
    }
    int n = shape.size();
    float[][] rows = new float[batch.size()][n];
    float[] chunkPixels = new float[Math.min(MAX_CHUNK, batch.size()) * n];
    for (int from = 0; from < batch.size(); from += MAX_CHUNK) {
      int to = Math.min(batch.size(), from + MAX_CHUNK);
      try (OnnxTensor input = input(batch, from, to, chunkPixels);
          OrtSession.Result result = session.run(Map.of(inputName, input))) {
        FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
        for (int i = 0; i < to - from; i++) {
          out.get(rows[from + i]);
        }
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed on a batch of " + (to - from) + ": " + e.getMessage(), e);
      }
    }
    return rows;
  }

  /**
   * {@inheritDoc}
   *
   * <p>ONNX Runtime computes the errors itself, in the same run as the reconstruction: the model
   * gets a small error head ({@code OnnxErrorGraph}) on first use of a measure, and only the
   * errors leave the session. They are computed in float, within 1e-5 relative of
   * {@link ReconstructionError}'s double-precision loop. A chunk holding a non-finite
   * reconstruction, and a model the head cannot be added to (opset below 8), are scored in Java,
   * which names any invalid value.
   *
   * @throws IllegalArgumentException if the batch's shape differs from {@link #inputShape()}
   * @throws IllegalStateException if ONNX Runtime fails, with its cause, or the model is closed
   */
  @Override
  public double[] errors(ImageBatch batch, ReconstructionError measure) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(measure, "measure");
    requireShape(batch);
    Optional<OrtSession> scoring = errorSession(new HeadKey(measure, batch.size() <= SINGLE_THREAD_MAX_IMAGES));
    if (scoring.isEmpty()) {
      return measure.errors(batch, reconstruct(batch));
    }
    int n = shape.size();
    double[] errors = new double[batch.size()];
    float[] chunkPixels = new float[Math.min(MAX_CHUNK, batch.size()) * n];
    for (int from = 0; from < batch.size(); from += MAX_CHUNK) {
      int to = Math.min(batch.size(), from + MAX_CHUNK);
      int count = to - from;
      try (OnnxTensor input = input(batch, from, to, chunkPixels);
          OrtSession.Result scored = scoring.get().run(Map.of(inputName, input), ERROR_OUTPUTS)) {
        FloatBuffer error = ((OnnxTensor) scored.get(OnnxErrorGraph.ERROR).orElseThrow()).getFloatBuffer();
        FloatBuffer sum = ((OnnxTensor) scored.get(OnnxErrorGraph.SUM).orElseThrow()).getFloatBuffer();
        boolean finite = true;
        for (int i = 0; i < count; i++) {
          float e = error.get(i);
          finite &= Float.isFinite(e) && Float.isFinite(sum.get(i));
          errors[from + i] = Math.max(0.0, e);
        }
        if (!finite) {
          // let the Java measure name the offending value
          ImageBatch chunk = batch.slice(from, to);
          System.arraycopy(measure.errors(chunk, reconstruct(chunk)), 0, errors, from, count);
        }
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime failed on a batch of " + count + ": " + e.getMessage(), e);
      }
    }
    return errors;
  }

  /** Images {@code from}..{@code to} as an input tensor, staged through {@code buffer}. */
  private OnnxTensor input(ImageBatch batch, int from, int to, float[] buffer) throws OrtException {
    batch.copyTo(from, to, buffer, 0);
    long[] dims = {to - from, shape.channels(), shape.height(), shape.width()};
    return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(buffer, 0, (to - from) * shape.size()),
        dims);
  }

  private void requireShape(ImageBatch batch) {
    if (!batch.shape().equals(shape)) {
      throw new IllegalArgumentException("batch shape must be " + shape + " (the model's input shape), but was "
          + batch.shape());
    }
  }

  /** Whether ONNX Runtime computes {@code measure} (false: Java does, the head could not be added). */
  boolean computesErrorsNatively(ReconstructionError measure) {
    return errorSession(new HeadKey(measure, false)).isPresent();
  }

  /**
   * Which error session: per measure, and for batches of at most
   * {@value #SINGLE_THREAD_MAX_IMAGES} images one that runs on the calling thread alone (as fast
   * there, and no pool threads left spinning beside the caller's own work).
   */
  private record HeadKey(ReconstructionError measure, boolean singleThread) {}

  private Optional<OrtSession> errorSession(HeadKey key) {
    Optional<OrtSession> made = errorSessions.get(key);
    if (made != null && !closed) {
      return made;
    }
    synchronized (errorSessions) {
      if (closed) {
        throw new IllegalStateException("this OnnxAutoencoder is closed");
      }
      return errorSessions.computeIfAbsent(key, this::withErrorHead);
    }
  }

  private Optional<OrtSession> withErrorHead(HeadKey key) {
    ReconstructionError measure = key.measure();
    List<String> failures = new ArrayList<>();
    for (OnnxErrorGraph.Clipping clipping : OnnxErrorGraph.Clipping.values()) {
      byte[] head = OnnxErrorGraph.head(measure, shape, inputName, outputName, clipping);
      try {
        return Optional.of(OrtEnvironment.getEnvironment().createSession(OnnxErrorGraph.appendTo(model, head),
            sessionOptions(key.singleThread() ? new Options(1) : options)));
      } catch (OrtException | RuntimeException e) {
        failures.add(clipping + ": " + e.getMessage());
      }
    }
    LOG.warn("Drift4j: could not add the {} head to this ONNX model, so errors are computed in Java ({})", measure,
        failures);
    return Optional.empty();
  }

  /**
   * {@code onnx-sha256:<model hash>}, or the source's fingerprint when a passing verification
   * record applies (see {@link OnnxVerification}).
   */
  @Override
  public String fingerprint() {
    return fingerprint;
  }

  /** SHA-256 (hex) of the model bytes. */
  public String modelSha256() {
    return modelSha256;
  }

  /** The verification record that gave this model its fingerprint, if any. */
  public Optional<OnnxVerification> verification() {
    return Optional.ofNullable(verification);
  }

  /** Frees the native session; later calls fail. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      synchronized (errorSessions) {
        closed = true;
        errorSessions.values().forEach(s -> s.ifPresent(OnnxAutoencoder::closeQuietly));
        errorSessions.clear();
      }
      closeQuietly(session);
    }
  }

  @Override
  public String toString() {
    return "OnnxAutoencoder[" + shape + ", " + fingerprint + "]";
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // nothing more to free
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
