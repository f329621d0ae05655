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
 * <p>Thread-safe: its ONNX Runtime sessions are shared by all callers (their {@code run} is safe
 * for concurrent use), so {@code check} can run on many request threads at once. Each call uses up
 * to {@link Options#threads()} threads: a batch is cut into that many slices of at least 784 pixel
 * values (one 28×28 image), scored at once by single-threaded runs, one on the calling thread and
 * the others on this model's helper threads (idle ones end after 30 s). A batch too small to cut
 * runs on the calling thread alone, except a single image of at least 1,568 values, which ONNX
 * Runtime spreads over {@code threads} threads itself. Slices reconstruct about as fast as ONNX
 * Runtime's own threads do, and they put the error head's logarithms, which ONNX Runtime computes
 * on one thread per run, on every thread at once.
 *
 * <p>{@link #errors} runs the model with an error head appended (one session per measure, made on
 * first use), so that ONNX Runtime returns one error per image. Each session holds the model's
 * weights. Close it, once no call is in flight, to free the native sessions and helper threads.
 */
public final class OnnxAutoencoder implements Autoencoder, AutoCloseable {

  /** The most images fed to one session run. */
  public static final int MAX_CHUNK = 256;

  /**
   * Batches of up to this many values have their squared or absolute errors computed in Java: a
   * few additions per pixel cost less there than the head's nodes in ONNX Runtime (measured at
   * batch 1 to 4, 28×28: about +5% over the engine in Java against +8 to +18% in the head).
   * Binary cross-entropy's two logarithms per pixel stay in the head at every size.
   */
  static final int JAVA_MEASURE_MAX_VALUES = 4 * 28 * 28;

  private static final Logger LOG = LoggerFactory.getLogger(OnnxAutoencoder.class);
  private static final Set<String> ERROR_OUTPUTS = Set.of(OnnxErrorGraph.ERROR, OnnxErrorGraph.SUM);

  /**
   * Session settings.
   *
   * @param threads threads one call may use, the calling thread included; at least 1
   * @param vectorErrors whether {@link #errors} computes errors with the Java Vector API when the
   *     JVM runs with {@code --add-modules jdk.incubator.vector} (about five times cheaper than
   *     ONNX Runtime's logarithms); without the module, or if false, ONNX Runtime computes them
   */
  public record Options(int threads, boolean vectorErrors) {

    /** One thread per available processor; the Vector API where the JVM has it. */
    public static final Options DEFAULT = new Options(Runtime.getRuntime().availableProcessors());

    /** @throws IllegalArgumentException if {@code threads} is below 1 */
    public Options {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, but was " + threads);
      }
    }

    /** {@code threads} threads; the Vector API where the JVM has it. */
    public Options(int threads) {
      this(threads, true);
    }
  }

  /** The model alone on one thread; made at load, where it also checks the model. */
  private final OrtSession session;
  /**
   * Other sessions, made on first use: the model on {@code threads} intra-op threads, and the
   * model with an {@link OnnxErrorGraph} head per measure; empty where the head could not be
   * added (errors are then computed in Java).
   */
  private final Map<SessionKey, Optional<OrtSession>> sessions = new ConcurrentHashMap<>();
  private final OnnxBatchSlicer slicer;
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
    this.slicer = new OnnxBatchSlicer(options.threads(), shape.size());
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
      session = OrtEnvironment.getEnvironment().createSession(bytes, sessionOptions(1));
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

  private static OrtSession.SessionOptions sessionOptions(int threads) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(threads);
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
    float[][] rows = new float[batch.size()][];
    inSlices(batch, multiThread -> multiThread ? session(null, true).orElseThrow() : session,
        (run, from, to) -> reconstructInto(run, batch, from, to, rows));
    return rows;
  }

  private void reconstructInto(OrtSession run, ImageBatch batch, int from, int to, float[][] rows) throws OrtException {
    try (OnnxTensor input = input(pixels(batch, from, to), to - from);
        OrtSession.Result result = run.run(Map.of(inputName, input))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      for (int i = from; i < to; i++) {
        rows[i] = new float[shape.size()];
        out.get(rows[i]);
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>With the Java Vector API ({@link Options#vectorErrors()}, and the JVM started with
   * {@code --add-modules jdk.incubator.vector}), each slice's reconstructions are scored on its
   * own thread with vector instructions, logarithms included. Otherwise ONNX Runtime computes the
   * errors itself, in the same run as the reconstruction: the model gets a small error head
   * ({@code OnnxErrorGraph}) on first use of a measure, and only the errors leave the session.
   * Either way they are computed in float, within 1e-5 relative of
   * {@link ReconstructionError}'s double-precision loop. A slice holding a non-finite
   * reconstruction, and a model the head cannot be added to (opset below 8), are scored in Java,
   * which names any invalid value; so are squared and absolute errors of batches of up to 3,136
   * pixel values (four 28×28 images), cheaper there.
   *
   * @throws IllegalArgumentException if the batch's shape differs from {@link #inputShape()}
   * @throws IllegalStateException if ONNX Runtime fails, with its cause, or the model is closed
   */
  @Override
  public double[] errors(ImageBatch batch, ReconstructionError measure) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(measure, "measure");
    requireShape(batch);
    if (usesVectorApi()) {
      double[] errors = new double[batch.size()];
      inSlices(batch, multiThread -> multiThread ? session(null, true).orElseThrow() : session,
          (run, from, to) -> vectorErrorsInto(run, batch, from, to, measure, errors));
      return errors;
    }
    if (options.vectorErrors()) {
      VectorSupport.tellOnceWhyNot();
    }
    boolean smallAndCheap = measure != ReconstructionError.BINARY_CROSS_ENTROPY
        && (long) batch.size() * shape.size() <= JAVA_MEASURE_MAX_VALUES;
    if (smallAndCheap || session(measure, false).isEmpty()) {
      return measure.errors(batch, reconstruct(batch));
    }
    double[] errors = new double[batch.size()];
    inSlices(batch, multiThread -> session(measure, multiThread).orElseThrow(),
        (run, from, to) -> errorsInto(run, batch, from, to, measure, errors));
    return errors;
  }

  /**
   * Whether {@link #errors} uses the Java Vector API: {@link Options#vectorErrors()} and a JVM
   * started with {@code --add-modules jdk.incubator.vector} (false: ONNX Runtime's error head).
   */
  public boolean usesVectorApi() {
    return options.vectorErrors() && VectorSupport.AVAILABLE;
  }

  private void vectorErrorsInto(OrtSession run, ImageBatch batch, int from, int to, ReconstructionError measure,
      double[] errors) throws OrtException {
    float[] targets = pixels(batch, from, to);
    float[] outputs = new float[targets.length];
    try (OnnxTensor input = input(targets, to - from);
        OrtSession.Result result = run.run(Map.of(inputName, input))) {
      ((OnnxTensor) result.get(0)).getFloatBuffer().get(outputs);
    }
    if (!VectorErrors.errors(measure, targets, outputs, to - from, shape.size(), errors, from)) {
      // let the Java measure name the offending value
      float[][] rows = new float[to - from][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = Arrays.copyOfRange(outputs, i * shape.size(), (i + 1) * shape.size());
      }
      System.arraycopy(measure.errors(batch.slice(from, to), rows), 0, errors, from, rows.length);
    }
  }

  private void errorsInto(OrtSession run, ImageBatch batch, int from, int to, ReconstructionError measure,
      double[] errors) throws OrtException {
    boolean finite = true;
    try (OnnxTensor input = input(pixels(batch, from, to), to - from);
        OrtSession.Result scored = run.run(Map.of(inputName, input), ERROR_OUTPUTS)) {
      FloatBuffer error = ((OnnxTensor) scored.get(OnnxErrorGraph.ERROR).orElseThrow()).getFloatBuffer();
      FloatBuffer sum = ((OnnxTensor) scored.get(OnnxErrorGraph.SUM).orElseThrow()).getFloatBuffer();
      for (int i = 0; i < to - from; i++) {
        float e = error.get(i);
        finite &= Float.isFinite(e) && Float.isFinite(sum.get(i));
        errors[from + i] = Math.max(0.0, e);
      }
    }
    if (!finite) {
      // let the Java measure name the offending value
      ImageBatch slice = batch.slice(from, to);
      float[][] rows = new float[slice.size()][];
      reconstructInto(session, slice, 0, slice.size(), rows);
      System.arraycopy(measure.errors(slice, rows), 0, errors, from, slice.size());
    }
  }

  private void inSlices(ImageBatch batch, OnnxBatchSlicer.SessionChoice choice, OnnxBatchSlicer.SliceWork work) {
    if (closed) {
      throw new IllegalStateException("this OnnxAutoencoder is closed");
    }
    slicer.run(batch.size(), choice, work);
  }

  /** How batches are cut and run, for tests. */
  OnnxBatchSlicer slicer() {
    return slicer;
  }

  /** The pixels of images {@code from}..{@code to}, one image after another. */
  private float[] pixels(ImageBatch batch, int from, int to) {
    float[] pixels = new float[(to - from) * shape.size()];
    batch.copyTo(from, to, pixels, 0);
    return pixels;
  }

  /** {@code count} images' pixels as an input tensor. */
  private OnnxTensor input(float[] pixels, int count) throws OrtException {
    long[] dims = {count, shape.channels(), shape.height(), shape.width()};
    return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(pixels), dims);
  }

  private void requireShape(ImageBatch batch) {
    if (!batch.shape().equals(shape)) {
      throw new IllegalArgumentException("batch shape must be " + shape + " (the model's input shape), but was "
          + batch.shape());
    }
  }

  /** Whether an ONNX error head can compute {@code measure} (false: Java does, the head could not be added). */
  boolean computesErrorsNatively(ReconstructionError measure) {
    return session(measure, false).isPresent();
  }

  /** Which session: of the model alone ({@code measure} null) or with a head; on one thread or on many. */
  private record SessionKey(ReconstructionError measure, boolean multiThread) {}

  private Optional<OrtSession> session(ReconstructionError measure, boolean multiThread) {
    if (measure == null && !multiThread) {
      return Optional.of(session);
    }
    SessionKey key = new SessionKey(measure, multiThread);
    Optional<OrtSession> made = sessions.get(key);
    if (made != null && !closed) {
      return made;
    }
    synchronized (sessions) {
      if (closed) {
        throw new IllegalStateException("this OnnxAutoencoder is closed");
      }
      return sessions.computeIfAbsent(key, this::makeSession);
    }
  }

  private Optional<OrtSession> makeSession(SessionKey key) {
    int threads = key.multiThread() ? options.threads() : 1;
    if (key.measure() == null) {
      try {
        return Optional.of(OrtEnvironment.getEnvironment().createSession(model, sessionOptions(threads)));
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime could not open the model again: " + e.getMessage(), e);
      }
    }
    ReconstructionError measure = key.measure();
    List<String> failures = new ArrayList<>();
    for (OnnxErrorGraph.Clipping clipping : OnnxErrorGraph.Clipping.values()) {
      byte[] head = OnnxErrorGraph.head(measure, shape, inputName, outputName, clipping);
      try {
        return Optional.of(OrtEnvironment.getEnvironment().createSession(OnnxErrorGraph.appendTo(model, head),
            sessionOptions(threads)));
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

  /** Frees the native sessions and stops the helper threads; later calls fail. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      synchronized (sessions) {
        closed = true;
        sessions.values().forEach(s -> s.ifPresent(OnnxAutoencoder::closeQuietly));
        sessions.clear();
      }
      slicer.close();
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
