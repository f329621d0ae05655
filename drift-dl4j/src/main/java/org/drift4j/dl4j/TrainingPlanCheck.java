package org.drift4j.dl4j;

import java.util.Optional;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how a training run steps: with a {@link Dl4jTrainingPlan} when the network has one and
 * its gradient on a seeded probe batch agrees with DL4J's own within {@value #TOLERANCE} (per
 * parameter tensor, its largest difference over its largest value), otherwise through DL4J's
 * {@code fit}. Stateless.
 */
final class TrainingPlanCheck {

  /** Largest relative difference from DL4J's gradient the plan may show. */
  static final double TOLERANCE = 1e-4;
  /** The layout the plan runs in: with oneDNN, NHWC's convolutions were the faster ones. */
  static final CNN2DFormat PLAN_FORMAT = CNN2DFormat.NHWC;

  private static final Logger LOG = LoggerFactory.getLogger(TrainingPlanCheck.class);

  private TrainingPlanCheck() {}

  /**
   * The plan for {@code net}, which DL4J trains in {@link Dl4jTrainer#TRAINING_FORMAT}, if there
   * is one and it agrees with DL4J; the network's parameters and state stay as they were.
   */
  static Optional<Dl4jTrainingPlan> choose(MultiLayerNetwork net, ImageShape shape, int lanes) {
    Optional<Dl4jTrainingPlan> candidate = Dl4jTrainingPlan.of(net, shape, PLAN_FORMAT, lanes);
    if (candidate.isEmpty()) {
      return candidate;
    }
    Dl4jTrainingPlan plan = candidate.get();
    ImageBatch probe = probe(shape, Math.max(2, lanes) * Dl4jTrainingPlan.MIN_LANE_IMAGES);
    double worst;
    try {
      plan.computeGradient(probe.toFlatArray(), probe.toFlatArray(), probe.size());
      worst = worstRelativeDifference(net, plan.gradient(), dl4jMeanGradient(net, probe));
    } catch (RuntimeException e) {
      LOG.warn("Drift4j: training this network as native ops failed ({}); DL4J trains it", e.toString());
      plan.close();
      return Optional.empty();
    }
    if (!(worst <= TOLERANCE)) {
      LOG.warn("Drift4j: this network's gradient as native ops differs from DL4J's by {} of its scale (> {});"
          + " DL4J trains it", worst, TOLERANCE);
      plan.close();
      return Optional.empty();
    }
    return candidate;
  }

  /** DL4J's gradient of the mean loss of {@code batch} rebuilding itself (its updater divides the summed gradient by the batch size). */
  static INDArray dl4jMeanGradient(MultiLayerNetwork net, ImageBatch batch) {
    net.setInput(Networks.toArray(batch, Dl4jTrainer.TRAINING_FORMAT));
    net.setLabels(Networks.toArray(batch, Dl4jTrainer.TRAINING_FORMAT));
    net.computeGradientAndScore();
    INDArray mean = net.gradient().gradient().dup().reshape(-1).divi(batch.size());
    net.clear();
    return mean;
  }

  /**
   * Over every convolution's bias and weights (DL4J's flat layout), the largest difference
   * between {@code actual} and {@code expected} divided by the largest value of
   * {@code expected}: 0 when they agree, NaN when a gradient is not finite.
   */
  static double worstRelativeDifference(MultiLayerNetwork net, INDArray actual, INDArray expected) {
    float[] a = actual.reshape(-1).toFloatVector();
    float[] e = expected.reshape(-1).toFloatVector();
    double worst = a.length == e.length ? 0 : Double.NaN;
    int offset = 0;
    for (Layer layer : net.getLayers()) {
      if (layer.conf().getLayer() instanceof ConvolutionLayer conv && a.length == e.length) {
        int nOut = (int) conv.getNOut();
        int n = (int) layer.numParams();
        worst = Math.max(worst, relative(a, e, offset, offset + nOut));
        worst = Math.max(worst, relative(a, e, offset + nOut, offset + n));
        offset += n;
      }
    }
    return worst;
  }

  private static double relative(float[] a, float[] e, int from, int to) {
    double scale = 0;
    double diff = 0;
    for (int k = from; k < to; k++) {
      scale = Math.max(scale, Math.abs(e[k]));
      diff = Math.max(diff, Math.abs(a[k] - e[k]));
      if (!Float.isFinite(a[k]) || !Float.isFinite(e[k])) {
        return Double.NaN;
      }
    }
    return scale == 0 ? diff : diff / scale;
  }

  private static ImageBatch probe(ImageShape shape, int count) {
    float[] pixels = new float[count * shape.size()];
    SplittableRandom random = new SplittableRandom(29);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    return ImageBatch.ofFlat(shape, pixels);
  }
}
