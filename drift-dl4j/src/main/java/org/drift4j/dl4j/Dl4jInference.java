package org.drift4j.dl4j;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a network's inference runs, chosen once per model: the network as written, or its
 * sub-pixel form ({@link SubPixelTail}), and through DL4J's layers or as a plan of native ops
 * ({@link Dl4jInferencePlan}). Each rewrite is used only if it reproduces DL4J's own output
 * within {@value #TOLERANCE} on a seeded probe batch. Immutable; {@link #rows} runs on a slot lent
 * by the pool.
 */
final class Dl4jInference {

  /** Largest difference from the network as written that the sub-pixel form or the op plan may show. */
  static final double TOLERANCE = 1e-5;
  /** Chunks up to this size run on the calling thread alone: below it, waking threads costs more than it saves. */
  static final int SINGLE_THREAD_MAX_IMAGES = 4;

  private static final Logger LOG = LoggerFactory.getLogger(Dl4jInference.class);

  private final ImageShape shape;
  private final CNN2DFormat format;
  /** What inference runs: the template, or its sub-pixel form. */
  private final Model network;
  /** Set when {@link #network} is the sub-pixel form. */
  private final SubPixelTail tail;
  private final boolean planned;
  /** What one image costs a pass, in bytes ({@link Networks#bytesPerImage}). */
  private final long bytesPerImage;

  private Dl4jInference(ImageShape shape, CNN2DFormat format, Model network, SubPixelTail tail, boolean planned) {
    this.shape = shape;
    this.format = format;
    this.network = network;
    this.tail = tail;
    this.planned = planned;
    this.bytesPerImage = Networks.bytesPerImage(network, shape, format);
  }

  /** Chooses the fastest form of {@code template} that agrees with it. */
  static Dl4jInference choose(Model template, ImageShape shape, CNN2DFormat format) {
    SubPixelTail tail = null;
    Model network = template;
    if (template instanceof MultiLayerNetwork mln) {
      tail = SubPixelTail.of(mln).orElse(null);
      if (tail != null) {
        MultiLayerNetwork folded = tail.network(mln);
        if (subPixelAgrees(mln, folded, tail, shape, format)) {
          network = folded;
        } else {
          Networks.free(folded);
          tail = null;
        }
      }
    }
    Dl4jInference asLayers = new Dl4jInference(shape, format, network, tail, false);
    return asLayers.planAgrees() ? new Dl4jInference(shape, format, network, tail, true) : asLayers;
  }

  /** Frees the sub-pixel form's arrays, if inference made one (the template is the caller's to free). */
  void close() {
    if (tail != null) {
      Networks.free(network);
    }
  }

  /** The network inference runs (copied for each pool slot). */
  Model network() {
    return network;
  }

  /** What one image costs a pass of the network inference runs: its activations and copies, in bytes. */
  long bytesPerImage() {
    return bytesPerImage;
  }

  boolean usesSubPixelTail() {
    return tail != null;
  }

  boolean usesOpPlan() {
    return planned;
  }

  /** A pool slot for {@code copy}, a copy of {@link #network()}. */
  NetworkPool.Slot slot(Model copy) {
    OneDnnHelpers.install(copy);
    return new NetworkPool.Slot(copy, planned ? plan(copy) : null);
  }

  private Dl4jInferencePlan plan(Model net) {
    return net instanceof MultiLayerNetwork mln ? Dl4jInferencePlan.of(mln, shape, format).orElse(null) : null;
  }

  /**
   * Reconstructions of one chunk, with the slot's plan or through DL4J, as CHW rows; a chunk of at
   * most {@value #SINGLE_THREAD_MAX_IMAGES} images with one OpenMP thread ({@link OmpThreads}).
   */
  float[][] rows(NetworkPool.Slot slot, ImageBatch chunk) {
    return chunk.size() <= SINGLE_THREAD_MAX_IMAGES ? OmpThreads.forNatives().single(() -> run(slot, chunk))
        : OmpThreads.forNatives().multi(() -> run(slot, chunk));
  }

  private float[][] run(NetworkPool.Slot slot, ImageBatch chunk) {
    int count = chunk.size();
    if (slot.plan() != null) {
      float[] flat = slot.plan().run(chunk.toFlatArray(), count);
      return tail == null ? Networks.toRows(flat, format, count, shape)
          : tail.toRows(flat, count, shape.height(), shape.width());
    }
    INDArray out = Networks.output(slot.net(), Networks.toArray(chunk, format));
    return tail == null ? Networks.toRows(out, format, count, shape.size())
        : tail.toRows(out, count, shape.height(), shape.width());
  }

  private boolean planAgrees() {
    if (!(network instanceof MultiLayerNetwork)) {
      return false;
    }
    Model copy = Networks.copy(network);
    Dl4jInferencePlan plan = plan(copy);
    if (plan == null) {
      return false;
    }
    ImageBatch probe = probeImages(shape);
    double worst;
    try {
      float[][] expected = rows(new NetworkPool.Slot(copy, null), probe);
      float[][] actual = rows(new NetworkPool.Slot(copy, plan), probe);
      worst = Networks.maxDifference(expected, actual);
    } catch (RuntimeException e) {
      LOG.warn("Drift4j: running this network as native ops failed ({}); DL4J runs it", e.toString());
      return false;
    } finally {
      plan.close();
      Networks.free(copy);
    }
    if (worst > TOLERANCE) {
      LOG.warn("Drift4j: this network as native ops differs from DL4J's output by {} (> {}); DL4J runs it", worst,
          TOLERANCE);
      return false;
    }
    return true;
  }

  /** Whether the sub-pixel form reproduces the network on a seeded random batch (a guard for unusual configurations). */
  private static boolean subPixelAgrees(MultiLayerNetwork original, MultiLayerNetwork folded, SubPixelTail candidate,
      ImageShape shape, CNN2DFormat format) {
    INDArray input = Networks.toArray(probeImages(shape), format);
    float[][] expected = Networks.toRows(Networks.output(original, input), format, 2, shape.size());
    float[][] actual = candidate.toRows(Networks.output(folded, input), 2, shape.height(), shape.width());
    double worst = Networks.maxDifference(expected, actual);
    if (worst > TOLERANCE) {
      LOG.warn("Drift4j: the sub-pixel form of this network differs from it by {} (> {}); running it as written",
          worst, TOLERANCE);
      return false;
    }
    return true;
  }

  private static ImageBatch probeImages(ImageShape shape) {
    float[] pixels = new float[2 * shape.size()];
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    return ImageBatch.ofFlat(shape, pixels);
  }
}
