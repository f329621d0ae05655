package org.drift4j.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.internal.CallGate;
import org.drift4j.internal.ChunkSizes;
import org.drift4j.internal.Streams;
import org.drift4j.spi.Autoencoder;

/**
 * An {@link Autoencoder} backed by a DeepLearning4J network: the reference convolutional
 * autoencoder trained by {@link Dl4jTrainer}, or any {@link MultiLayerNetwork} or
 * {@link ComputationGraph} whose output has the shape of its input ({@link #wrap}).
 *
 * <pre>{@code
 * try (Dl4jAutoencoder autoencoder = Dl4jAutoencoder.load(Path.of("model/model.zip"))) {
 *   DriftDetector detector = DriftDetector.builder(autoencoder, baseline).build();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. DL4J networks are not, so this class keeps a pool of network copies
 * ({@link Dl4jConfig#concurrency()}, by default one per available processor) and lends one to
 * each concurrent call; a call beyond the pool size waits for a copy. Batches are fed to the
 * network in chunks of as many images as {@link Dl4jConfig#maxChunkBytes()} pays for (what one
 * image costs is measured on the network when the model is built), at most
 * {@link Dl4jConfig#maxChunkImages()}, so memory stays bounded whatever the batch and image size;
 * {@link #errors} keeps only one chunk's reconstructions at a time.
 *
 * <p>The reference network runs in a faster form checked against DL4J's output when the model is
 * built (the last upsampling and convolution in sub-pixel form, the layers as a plan of ND4J
 * native ops on arrays kept per network copy, freed with it); any other network runs as written.
 * Saving, export and the fingerprint use the network as written.
 *
 * <p>Saved as one zip file ({@link #save}) holding the DL4J network and a
 * {@code drift4j-model.json} entry ({@link Dl4jModelInfo}): shape, layout, error measure,
 * training provenance and the SHA-256 fingerprint that {@link org.drift4j.Baseline}s record.
 *
 * <p>Ownership and closing: whoever creates an autoencoder closes it. {@link #close()} refuses
 * new calls at once, waits for the calls in flight to finish, then frees the native memory of
 * every network copy, of their kept activation arrays and of the model as written; a call after
 * it fails with an {@link IllegalStateException}. A network passed to {@link #wrap} stays the
 * caller's: it is copied, never run, changed or freed.
 */
public final class Dl4jAutoencoder implements Autoencoder, AutoCloseable {

  private final Model template;
  private final Dl4jModelInfo info;
  private final Dl4jConfig config;
  private final CNN2DFormat format;
  private final Dl4jInference inference;
  /** Images per network pass: what {@link Dl4jConfig#maxChunkBytes()} pays for, at most {@link Dl4jConfig#maxChunkImages()}. */
  private final int chunkImages;
  private final ChunkedRunner runner;
  private final CallGate gate = new CallGate("this Dl4jAutoencoder");

  private Dl4jAutoencoder(Model template, Dl4jModelInfo info, Dl4jConfig config) {
    this.template = template;
    this.info = info;
    this.config = config;
    this.format = CNN2DFormat.valueOf(info.dataFormat());
    this.inference = Dl4jInference.choose(template, info.inputShape(), format);
    this.chunkImages = ChunkSizes.images(config.maxChunkBytes(), inference.bytesPerImage(), config.maxChunkImages(),
        "maxChunkBytes", info.inputShape());
    this.runner = new ChunkedRunner(inference, config.concurrency(), chunkImages);
  }

  /** Creates an autoencoder around a trained network of ours (used by the trainer). */
  static Dl4jAutoencoder trained(MultiLayerNetwork net, Dl4jArchitecture architecture,
      Dl4jModelInfo.TrainingRecord training, Clock clock) {
    Dl4jModelInfo info = Dl4jModelInfo.ofTrained(net, architecture, training, clock);
    return new Dl4jAutoencoder(net, info, Dl4jConfig.ofDefaults());
  }

  /**
   * Wraps an initialised NCHW DL4J network that rebuilds its input, with the default config.
   *
   * @param network the network; it is copied, so later changes to it do not reach this model
   * @param inputShape the image shape
   * @return the autoencoder
   * @throws IllegalArgumentException as {@link #wrap(MultiLayerNetwork, ImageShape, CNN2DFormat, Dl4jConfig)}
   */
  public static Dl4jAutoencoder wrap(MultiLayerNetwork network, ImageShape inputShape) {
    return wrap(network, inputShape, CNN2DFormat.NCHW, Dl4jConfig.ofDefaults());
  }

  /**
   * Wraps an initialised DL4J network that rebuilds its input.
   *
   * @param network the network; it is copied, so later changes to it do not reach this model
   * @param inputShape the image shape
   * @param format the network's input layout
   * @param config how to run it
   * @return the autoencoder
   * @throws IllegalArgumentException if the network's output shape differs from its input shape,
   *     or it fails on an input of that shape, or one image needs more memory than
   *     {@link Dl4jConfig#maxChunkBytes()}
   */
  public static Dl4jAutoencoder wrap(MultiLayerNetwork network, ImageShape inputShape, CNN2DFormat format,
      Dl4jConfig config) {
    Objects.requireNonNull(network, "network");
    return wrapModel(network, inputShape, format, config);
  }

  /**
   * Wraps an initialised single-input, single-output DL4J computation graph that rebuilds its
   * input.
   *
   * @param graph the graph; it is copied, so later changes to it do not reach this model
   * @param inputShape the image shape
   * @param format the graph's input layout
   * @param config how to run it
   * @return the autoencoder
   * @throws IllegalArgumentException if the graph has more than one input or output, or its
   *     output shape differs from its input shape, or one image needs more memory than
   *     {@link Dl4jConfig#maxChunkBytes()}
   */
  public static Dl4jAutoencoder wrap(ComputationGraph graph, ImageShape inputShape, CNN2DFormat format,
      Dl4jConfig config) {
    Objects.requireNonNull(graph, "graph");
    if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
      throw new IllegalArgumentException("graph must have 1 input and 1 output, but had " + graph.getNumInputArrays()
          + " inputs and " + graph.getNumOutputArrays() + " outputs");
    }
    return wrapModel(graph, inputShape, format, config);
  }

  private static Dl4jAutoencoder wrapModel(Model model, ImageShape inputShape, CNN2DFormat format, Dl4jConfig config) {
    Objects.requireNonNull(inputShape, "inputShape");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(config, "config");
    Dl4jBackend.describe();
    Model copy = Networks.copy(model);
    Networks.requireShapePreserving(copy, inputShape, format);
    String type = model instanceof MultiLayerNetwork ? "MultiLayerNetwork" : "ComputationGraph";
    Dl4jModelInfo info = new Dl4jModelInfo(Dl4jModelInfo.FORMAT, Dl4jModelInfo.SCHEMA_VERSION, type, inputShape,
        format.name(), ReconstructionError.MEAN_SQUARED_ERROR, Networks.fingerprint(copy, inputShape, format), -1,
        Clock.systemUTC().instant(), null);
    return new Dl4jAutoencoder(copy, info, config);
  }

  /**
   * Loads a model written by {@link #save}, with the default config.
   *
   * @param file the model file
   * @return the autoencoder
   * @throws IOException as {@link #load(Path, Dl4jConfig)}
   */
  public static Dl4jAutoencoder load(Path file) throws IOException {
    return load(file, Dl4jConfig.ofDefaults());
  }

  /**
   * Loads a model written by {@link #save}.
   *
   * @param file the model file
   * @param config how to run it
   * @return the autoencoder
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws Dl4jModelFormatException if the file is not a Drift4j model, is truncated or corrupt,
   *     was written by a newer version, or its network does not match its recorded fingerprint
   *     or shape
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if one image needs more memory than
   *     {@link Dl4jConfig#maxChunkBytes()} (the message names the budget and what the image needs)
   */
  public static Dl4jAutoencoder load(Path file, Dl4jConfig config) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(config, "config");
    Dl4jBackend.describe();
    Dl4jModelFile.Contents contents = Dl4jModelFile.read(file);
    return new Dl4jAutoencoder(contents.network(), contents.info(), config);
  }

  /**
   * Loads a model written by {@link #save} from a stream, with the same checks as a file. The
   * stream is read to the model's end and not closed.
   *
   * @param in the model's bytes
   * @param source what the stream is, for messages (a resource name or URL)
   * @param config how to run it
   * @return the autoencoder, with the fingerprint recorded in the model
   * @throws Dl4jModelFormatException if the bytes are not a Drift4j model, are truncated or
   *     corrupt, were written by a newer version, or the network does not match its recorded
   *     fingerprint or shape
   * @throws IOException if the stream cannot be read
   */
  public static Dl4jAutoencoder load(InputStream in, String source, Dl4jConfig config) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(config, "config");
    Dl4jBackend.describe();
    Dl4jModelFile.Contents contents = Dl4jModelFile.read(in, source);
    return new Dl4jAutoencoder(contents.network(), contents.info(), config);
  }

  /**
   * Loads a model written by {@link #save} from a URL: a {@code file:} URL, a class-path resource
   * ({@code jar:} or {@code file:}, as {@link Class#getResource} gives) or {@code http(s):}.
   *
   * @param url where the model is
   * @param config how to run it
   * @return the autoencoder
   * @throws java.io.FileNotFoundException if nothing is at the URL
   * @throws Dl4jModelFormatException as {@link #load(InputStream, String, Dl4jConfig)}
   * @throws IOException if the URL cannot be read
   */
  public static Dl4jAutoencoder load(URL url, Dl4jConfig config) throws IOException {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(config, "config");
    try (InputStream in = Streams.open(url)) {
      return load(in, url.toString(), config);
    }
  }

  /**
   * Writes the model to one zip file, atomically (temporary file, then a move), creating parent
   * directories.
   *
   * @param file where to write it
   * @throws IOException if writing fails; a previous file at {@code file} is then untouched
   * @throws IllegalStateException if this model is closed
   */
  public void save(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try {
      gate.call(() -> {
        synchronized (template) {
          try {
            Dl4jModelFile.write(file, template, info);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return null;
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * A copy of the underlying multi-layer network as written, for export.
   *
   * @return a copy of the network, the caller's to close
   * @throws IllegalArgumentException if this model wraps a computation graph
   * @throws IllegalStateException if this model is closed
   */
  public MultiLayerNetwork multiLayerNetwork() {
    if (!(template instanceof MultiLayerNetwork)) {
      throw new IllegalArgumentException("this model wraps a " + info.networkType() + ", not a MultiLayerNetwork");
    }
    return gate.call(() -> {
      synchronized (template) {
        return (MultiLayerNetwork) Networks.copy(template);
      }
    });
  }

  /**
   * How this model runs.
   *
   * @return the config
   */
  public Dl4jConfig config() {
    return config;
  }

  /**
   * What this model says about itself.
   *
   * @return the model's record
   */
  public Dl4jModelInfo info() {
    return info;
  }

  /**
   * The error measure that fits this model's training loss.
   *
   * @return the measure
   */
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
   * @throws IllegalStateException if this model is closed
   */
  @Override
  public float[][] reconstruct(ImageBatch batch) {
    requireShape(batch);
    return gate.call(() -> runner.reconstruct(batch));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Computed chunk by chunk as each chunk is reconstructed, so that no more than one chunk's
   * reconstructions exist at a time however large the batch.
   *
   * @throws IllegalArgumentException if the batch's shape differs from {@link #inputShape()}
   * @throws IllegalStateException if a reconstruction is not finite (naming the image), or this
   *     model is closed
   */
  @Override
  public double[] errors(ImageBatch batch, ReconstructionError measure) {
    requireShape(batch);
    Objects.requireNonNull(measure, "measure");
    return gate.call(() -> runner.errors(batch, measure));
  }

  /** Images per network pass, for tests. */
  int chunkImages() {
    return chunkImages;
  }

  /**
   * The activations of the encoder's last layer, for models trained by {@link Dl4jTrainer}.
   *
   * @throws IllegalArgumentException if the batch's shape differs from {@link #inputShape()}
   * @throws IllegalStateException if this model is closed
   */
  @Override
  public Optional<float[][]> encode(ImageBatch batch) {
    if (info.latentLayer() < 0 || !(template instanceof MultiLayerNetwork asWritten)) {
      return Optional.empty();
    }
    requireShape(batch);
    return gate.call(() -> {
      synchronized (template) {
        return Optional.of(Networks.latentRows(asWritten, info.latentLayer(), batch, format));
      }
    });
  }

  /** The inference in use, for tests. */
  Dl4jInference inference() {
    return inference;
  }

  private void requireShape(ImageBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (!batch.shape().equals(inputShape())) {
      throw new IllegalArgumentException("batch shape must be " + inputShape() + " (the model's input shape), but was "
          + batch.shape());
    }
  }

  /** The pool of network copies, for tests. */
  NetworkPool pool() {
    return runner.pool();
  }

  /**
   * Refuses new calls, waits for the calls in flight to finish, then frees the native memory of
   * the network copies, their kept arrays and the model as written. Idempotent; must not be
   * called from within a call of this model.
   */
  @Override
  public void close() {
    gate.close(() -> {
      runner.free();
      Networks.free(template);
    });
  }

  @Override
  public String toString() {
    return "Dl4jAutoencoder[" + info.networkType() + ", " + inputShape() + ", " + fingerprint() + "]";
  }
}
