package org.drift4j.dl4j;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.internal.AtomicFiles;
import org.drift4j.spi.Autoencoder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Autoencoder} backed by a DeepLearning4J network: the reference convolutional
 * autoencoder trained by {@link Dl4jTrainer}, or any {@link MultiLayerNetwork} or
 * {@link ComputationGraph} whose output has the shape of its input ({@link #wrap}).
 *
 * <p>Thread-safe. DL4J networks are not, so this class keeps a pool of network copies (by
 * default one per available processor) and lends one to each concurrent {@link #reconstruct}
 * call; a call beyond the pool size waits for a copy. Batches are fed to the network in chunks of
 * at most {@link #MAX_CHUNK} images, so memory stays bounded whatever the batch size.
 *
 * <p>A multi-layer network that ends in 2× upsampling followed by a 3×3 same convolution (the
 * reference autoencoder does) is run in its sub-pixel form: the last convolution computed at half
 * resolution with four phase kernels, then its outputs interleaved into the full-size image. It
 * is the same function (within 1e-5, checked when the model is built; otherwise the network runs
 * as written) at a quarter of the last layer's cost. A network made of the reference's layer kinds
 * then runs as a plan of ND4J native ops writing into arrays kept per network copy
 * ({@code Dl4jInferencePlan}, also checked against DL4J's output), and chunks of up to
 * {@value #SINGLE_THREAD_MAX_IMAGES} images run on the calling thread alone. Each network copy
 * keeps its activation arrays for the last two chunk sizes off the heap (for the reference
 * network on 28×28 images, about 56 MB for a full chunk); they are freed with the copy. Saving,
 * export and the fingerprint use the network as written.
 *
 * <p>Saved as one zip file ({@link #save}) holding the DL4J network and a
 * {@code drift4j-model.json} entry ({@link Dl4jModelInfo}): shape, layout, error measure,
 * training provenance and the SHA-256 fingerprint that {@link org.drift4j.Baseline}s record.
 */
public final class Dl4jAutoencoder implements Autoencoder, AutoCloseable {

  /** The most images fed to the network at once. */
  public static final int MAX_CHUNK = 256;

  static final String INFO_ENTRY = "drift4j-model.json";
  static final String NETWORK_ENTRY = "network.zip";

  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final Logger LOG = LoggerFactory.getLogger(Dl4jAutoencoder.class);
  /** Largest difference from the network as written that the sub-pixel form or the op plan may show. */
  private static final double SUB_PIXEL_TOLERANCE = 1e-5;
  /** Chunks up to this size run on the calling thread alone: below it, waking threads costs more than it saves. */
  static final int SINGLE_THREAD_MAX_IMAGES = 4;

  private final Model template;
  private final Dl4jModelInfo info;
  private final CNN2DFormat format;
  /** Set when inference runs the sub-pixel form of the template. */
  private final SubPixelTail tail;
  private final BlockingQueue<Slot> pool;
  private final int concurrency;
  private volatile boolean closed;

  private Dl4jAutoencoder(Model template, Dl4jModelInfo info, int concurrency) {
    this.template = template;
    this.info = info;
    this.format = CNN2DFormat.valueOf(info.dataFormat());
    this.concurrency = concurrency;
    SubPixelTail found = null;
    Model inference = template;
    if (template instanceof MultiLayerNetwork mln) {
      found = SubPixelTail.of(mln).orElse(null);
      if (found != null) {
        MultiLayerNetwork folded = found.network(mln);
        if (agrees(mln, folded, found)) {
          inference = folded;
        } else {
          found = null;
        }
      }
    }
    this.tail = found;
    this.pool = new ArrayBlockingQueue<>(concurrency);
    Slot first = new Slot(inference, plan(inference, true));
    pool.add(first);
    for (int i = 1; i < concurrency; i++) {
      Model copy = Networks.copy(inference);
      pool.add(new Slot(copy, first.plan == null ? null : plan(copy, false)));
    }
  }

  /** One network copy and, where it has one, its plan of native ops. Used by one caller at a time. */
  private record Slot(Model net, Dl4jInferencePlan plan) {}

  /** The op plan of {@code net}, checked against DL4J's own output when {@code verify}; null if none fits. */
  private Dl4jInferencePlan plan(Model net, boolean verify) {
    if (!(net instanceof MultiLayerNetwork mln)) {
      return null;
    }
    Dl4jInferencePlan plan = Dl4jInferencePlan.of(mln, info.inputShape(), format).orElse(null);
    if (plan == null || !verify) {
      return plan;
    }
    ImageBatch probe = probeImages();
    double worst;
    try {
      float[][] expected = chunkRows(new Slot(net, null), probe);
      float[][] actual = chunkRows(new Slot(net, plan), probe);
      worst = Networks.maxDifference(expected, actual);
    } catch (RuntimeException e) {
      LOG.warn("Drift4j: running this network as native ops failed ({}); DL4J runs it", e.toString());
      return null;
    }
    if (worst > SUB_PIXEL_TOLERANCE) {
      LOG.warn("Drift4j: this network as native ops differs from DL4J's output by {} (> {}); DL4J runs it", worst,
          SUB_PIXEL_TOLERANCE);
      return null;
    }
    return plan;
  }

  private ImageBatch probeImages() {
    ImageShape shape = info.inputShape();
    float[] pixels = new float[2 * shape.size()];
    java.util.SplittableRandom random = new java.util.SplittableRandom(17);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    return ImageBatch.ofFlat(shape, pixels);
  }


  /** Reconstructions of one chunk (at most {@link #MAX_CHUNK} images) with the slot's plan, or DL4J. */
  private float[][] chunkRows(Slot slot, ImageBatch chunk) {
    int count = chunk.size();
    ImageShape s = info.inputShape();
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int threads = ops.ompGetMaxThreads();
    boolean single = count <= SINGLE_THREAD_MAX_IMAGES && threads > 1;
    if (single) {
      ops.setOmpNumThreads(1);
    }
    try {
      if (slot.plan() != null) {
        float[] flat = slot.plan().run(chunk.toFlatArray(), count);
        return tail == null ? Networks.toRows(flat, format, count, s) : tail.toRows(flat, count, s.height(), s.width());
      }
      INDArray out = Networks.output(slot.net(), Networks.toArray(chunk, format));
      return tail == null ? Networks.toRows(out, format, count, s.size()) : tail.toRows(out, count, s.height(), s.width());
    } finally {
      if (single) {
        ops.setOmpNumThreads(threads);
      }
    }
  }

  /** Whether inference runs as a plan of native ops rather than through DL4J's layers. */
  boolean usesOpPlan() {
    return pool.peek() != null && pool.peek().plan() != null;
  }

  /** Whether the sub-pixel form reproduces the network on a seeded random batch (a guard for unusual configurations). */
  private boolean agrees(MultiLayerNetwork original, MultiLayerNetwork folded, SubPixelTail candidate) {
    ImageShape shape = info.inputShape();
    INDArray input = Networks.toArray(probeImages(), format);
    float[][] expected = Networks.toRows(Networks.output(original, input), format, 2, shape.size());
    float[][] actual = candidate.toRows(Networks.output(folded, input), 2, shape.height(), shape.width());
    double worst = Networks.maxDifference(expected, actual);
    if (worst > SUB_PIXEL_TOLERANCE) {
      LOG.warn("Drift4j: the sub-pixel form of this network differs from it by {} (> {}); running it as written",
          worst, SUB_PIXEL_TOLERANCE);
      return false;
    }
    return true;
  }

  /** Whether inference runs the sub-pixel form of the network's last upsampling and convolution. */
  boolean usesSubPixelTail() {
    return tail != null;
  }

  /** Creates an autoencoder around a trained network of ours (used by the trainer). */
  static Dl4jAutoencoder trained(MultiLayerNetwork net, Dl4jArchitecture architecture,
      Dl4jModelInfo.TrainingRecord training, Clock clock) {
    ReconstructionError measure = architecture.loss() == Dl4jArchitecture.Loss.BINARY_CROSS_ENTROPY
        ? ReconstructionError.BINARY_CROSS_ENTROPY : ReconstructionError.MEAN_SQUARED_ERROR;
    Dl4jModelInfo info = new Dl4jModelInfo(Dl4jModelInfo.FORMAT, Dl4jModelInfo.SCHEMA_VERSION, "MultiLayerNetwork",
        architecture.inputShape(), architecture.inferenceFormat().name(), measure,
        Networks.fingerprint(net, architecture.inputShape(), architecture.inferenceFormat()),
        architecture.latentLayerIndex(), clock.instant(), training);
    return new Dl4jAutoencoder(net, info, defaultConcurrency());
  }

  /** {@link #wrap(MultiLayerNetwork, ImageShape, CNN2DFormat)} for an NCHW network. */
  public static Dl4jAutoencoder wrap(MultiLayerNetwork network, ImageShape inputShape) {
    return wrap(network, inputShape, CNN2DFormat.NCHW);
  }

  /**
   * Wraps an initialised DL4J network that rebuilds its input.
   *
   * @param network the network; it is used as is (not copied), so do not train it afterwards
   * @param inputShape the image shape
   * @param format the network's input layout
   * @throws IllegalArgumentException if the network's output shape differs from its input shape,
   *     or it fails on an input of that shape
   */
  public static Dl4jAutoencoder wrap(MultiLayerNetwork network, ImageShape inputShape, CNN2DFormat format) {
    return wrapModel(network, inputShape, format);
  }

  /**
   * Wraps an initialised single-input, single-output DL4J computation graph that rebuilds its
   * input.
   *
   * @throws IllegalArgumentException if the graph has more than one input or output, or its
   *     output shape differs from its input shape
   */
  public static Dl4jAutoencoder wrap(ComputationGraph graph, ImageShape inputShape, CNN2DFormat format) {
    Objects.requireNonNull(graph, "graph");
    if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
      throw new IllegalArgumentException("graph must have 1 input and 1 output, but had " + graph.getNumInputArrays()
          + " inputs and " + graph.getNumOutputArrays() + " outputs");
    }
    return wrapModel(graph, inputShape, format);
  }

  private static Dl4jAutoencoder wrapModel(Model model, ImageShape inputShape, CNN2DFormat format) {
    Objects.requireNonNull(model, "network");
    Objects.requireNonNull(inputShape, "inputShape");
    Objects.requireNonNull(format, "format");
    Dl4jBackend.ensureConfigured();
    requireShapePreserving(model, inputShape, format);
    String type = model instanceof MultiLayerNetwork ? "MultiLayerNetwork" : "ComputationGraph";
    Dl4jModelInfo info = new Dl4jModelInfo(Dl4jModelInfo.FORMAT, Dl4jModelInfo.SCHEMA_VERSION, type, inputShape,
        format.name(), ReconstructionError.MEAN_SQUARED_ERROR, Networks.fingerprint(model, inputShape, format), -1,
        Clock.systemUTC().instant(), null);
    return new Dl4jAutoencoder(model, info, defaultConcurrency());
  }

  private static void requireShapePreserving(Model model, ImageShape shape, CNN2DFormat format) {
    INDArray probe = Networks.toArray(ImageBatch.ofFlat(shape, new float[shape.size()]), format);
    INDArray out;
    try {
      out = Networks.output(model, probe);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("network failed on an input of shape " + java.util.Arrays.toString(probe.shape())
          + " (" + format + "); is " + shape + " its input shape?", e);
    }
    if (!java.util.Arrays.equals(out.shape(), probe.shape())) {
      throw new IllegalArgumentException("network output shape must equal its input shape "
          + java.util.Arrays.toString(probe.shape()) + " to serve as an autoencoder, but was "
          + java.util.Arrays.toString(out.shape()));
    }
  }

  private static int defaultConcurrency() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /**
   * The same model with a pool of {@code concurrency} network copies.
   *
   * @throws IllegalArgumentException if {@code concurrency} is below 1
   */
  public Dl4jAutoencoder withConcurrency(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, but was " + concurrency);
    }
    return new Dl4jAutoencoder(Networks.copy(template), info, concurrency);
  }

  /**
   * A copy of the underlying multi-layer network, for export.
   *
   * @throws IllegalArgumentException if this model wraps a computation graph
   */
  public MultiLayerNetwork multiLayerNetwork() {
    if (!(template instanceof MultiLayerNetwork)) {
      throw new IllegalArgumentException("this model wraps a " + info.networkType() + ", not a MultiLayerNetwork");
    }
    synchronized (template) {
      return (MultiLayerNetwork) Networks.copy(template);
    }
  }

  /** How many reconstructions may run at once. */
  public int concurrency() {
    return concurrency;
  }

  /** What this model says about itself. */
  public Dl4jModelInfo info() {
    return info;
  }

  /** The error measure that fits this model's training loss. */
  public ReconstructionError errorMeasure() {
    return info.errorMeasure();
  }

  @Override
  public ImageShape inputShape() {
    return info.inputShape();
  }

  @Override
  public String fingerprint() {
    return info.fingerprint();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the batch's shape differs from {@link #inputShape()}
   */
  @Override
  public float[][] reconstruct(ImageBatch batch) {
    requireShape(batch);
    float[][] rows = new float[batch.size()][];
    Slot slot = borrow();
    try {
      for (int from = 0; from < batch.size(); from += MAX_CHUNK) {
        int to = Math.min(batch.size(), from + MAX_CHUNK);
        float[][] chunk = chunkRows(slot, batch.slice(from, to));
        System.arraycopy(chunk, 0, rows, from, chunk.length);
      }
    } finally {
      pool.add(slot);
    }
    return rows;
  }

  /** The activations of the encoder's last layer, for models trained by {@link Dl4jTrainer}. */
  @Override
  public Optional<float[][]> encode(ImageBatch batch) {
    if (info.latentLayer() < 0 || !(template instanceof MultiLayerNetwork)) {
      return Optional.empty();
    }
    requireShape(batch);
    Slot slot = borrow();
    try {
      INDArray code = Networks.activations((MultiLayerNetwork) slot.net(), info.latentLayer(), Networks.toArray(batch, format));
      int perImage = (int) (code.length() / batch.size());
      return Optional.of(Networks.toRows(code.reshape(batch.size(), perImage, 1, 1), CNN2DFormat.NCHW, batch.size(), perImage));
    } finally {
      pool.add(slot);
    }
  }

  private void requireShape(ImageBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (!batch.shape().equals(inputShape())) {
      throw new IllegalArgumentException("batch shape must be " + inputShape() + " (the model's input shape), but was "
          + batch.shape());
    }
  }

  private Slot borrow() {
    if (closed) {
      throw new IllegalStateException("this Dl4jAutoencoder is closed");
    }
    try {
      return pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free network copy", e);
    }
  }

  /**
   * Writes the model to one zip file, atomically (temporary file, then a move), creating parent
   * directories.
   *
   * @throws IOException if writing fails; a previous file at {@code file} is then untouched
   */
  public void save(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] network;
    synchronized (template) {
      network = Networks.serialize(template);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(INFO_ENTRY));
      zip.write(JSON.writeValueAsBytes(info));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(NETWORK_ENTRY));
      zip.write(network);
      zip.closeEntry();
    }
    AtomicFiles.write(file, bytes.toByteArray());
  }

  /**
   * Loads a model written by {@link #save}.
   *
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws Dl4jModelFormatException if the file is not a Drift4j model, is truncated or corrupt,
   *     was written by a newer version, or its network does not match its recorded fingerprint
   *     or shape
   */
  public static Dl4jAutoencoder load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Dl4jBackend.ensureConfigured();
    Map<String, byte[]> entries = readZip(file);
    byte[] infoBytes = entries.get(INFO_ENTRY);
    byte[] networkBytes = entries.get(NETWORK_ENTRY);
    if (infoBytes == null || networkBytes == null) {
      throw new Dl4jModelFormatException(file + ": not a Drift4j DL4J model: it must hold entries " + INFO_ENTRY
          + " and " + NETWORK_ENTRY + ", but held " + entries.keySet());
    }
    Dl4jModelInfo info = parseInfo(file, infoBytes);
    Model model;
    try {
      model = Networks.deserialize(networkBytes, "ComputationGraph".equals(info.networkType()));
    } catch (IOException | RuntimeException e) {
      throw new Dl4jModelFormatException(file + ": the network entry is corrupt: " + e.getMessage(), e);
    }
    CNN2DFormat format = CNN2DFormat.valueOf(info.dataFormat());
    String actual = Networks.fingerprint(model, info.inputShape(), format);
    if (!actual.equals(info.fingerprint())) {
      throw new Dl4jModelFormatException(file + ": the network's fingerprint " + actual + " does not match the recorded "
          + info.fingerprint() + " (corrupt or edited file)");
    }
    try {
      requireShapePreserving(model, info.inputShape(), format);
    } catch (IllegalArgumentException e) {
      throw new Dl4jModelFormatException(file + ": the network does not fit its recorded input shape "
          + info.inputShape() + ": " + e.getMessage(), e);
    }
    return new Dl4jAutoencoder(model, info, defaultConcurrency());
  }

  /**
   * Loads a model and checks that it takes images of {@code expectedShape}.
   *
   * @throws Dl4jModelFormatException if the model was made for another shape
   */
  public static Dl4jAutoencoder load(Path file, ImageShape expectedShape) throws IOException {
    Dl4jAutoencoder ae = load(file);
    if (!ae.inputShape().equals(expectedShape)) {
      throw new Dl4jModelFormatException(file + ": model input shape must be " + expectedShape + ", but was "
          + ae.inputShape());
    }
    return ae;
  }

  private static Map<String, byte[]> readZip(Path file) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        zip.transferTo(bytes);
        entries.put(entry.getName(), bytes.toByteArray());
      }
    } catch (ZipException | java.io.EOFException e) {
      throw new Dl4jModelFormatException(file + ": not a readable zip file (truncated or corrupt model): "
          + e.getMessage(), e);
    }
    if (entries.isEmpty()) {
      throw new Dl4jModelFormatException(file + ": not a Drift4j DL4J model: not a zip file, or an empty one");
    }
    return entries;
  }

  private static Dl4jModelInfo parseInfo(Path file, byte[] bytes) throws Dl4jModelFormatException {
    try {
      JsonNode node = JSON.readTree(bytes);
      String format = node.path("format").asText("");
      if (!Dl4jModelInfo.FORMAT.equals(format)) {
        throw new Dl4jModelFormatException(file + ": format must be " + Dl4jModelInfo.FORMAT + ", but was '" + format + "'");
      }
      int version = node.path("schemaVersion").asInt(-1);
      if (version > Dl4jModelInfo.SCHEMA_VERSION || version < 1) {
        throw new Dl4jModelFormatException(file + ": schemaVersion " + version + " is not supported (this library reads 1 to "
            + Dl4jModelInfo.SCHEMA_VERSION + "; upgrade Drift4j for newer files)");
      }
      return JSON.treeToValue(node, Dl4jModelInfo.class);
    } catch (Dl4jModelFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new Dl4jModelFormatException(file + ": " + INFO_ENTRY + " is not valid: " + e.getMessage(), e);
    }
  }

  /** Drops the pooled network copies. */
  @Override
  public void close() {
    closed = true;
    pool.clear();
  }

  @Override
  public String toString() {
    return "Dl4jAutoencoder[" + info.networkType() + ", " + inputShape() + ", " + fingerprint() + "]";
  }

}
