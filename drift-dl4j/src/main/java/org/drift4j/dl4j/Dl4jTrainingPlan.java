package org.drift4j.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageShape;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A multi-layer network's training step as a fixed sequence of libnd4j ops: the forward pass
 * into arrays kept between steps, DL4J's loss, the backward pass (conv2d_bp, maxpool2d_bp,
 * upsampling_bp, relu_bp: the kernels DL4J's layers and oneDNN helpers call) into a flat gradient
 * laid out as the network's parameters, and DL4J's native updater op on it, writing the network's
 * own parameters. It computes what {@code MultiLayerNetwork.fit} computes for these networks
 * without DL4J's layer machinery, which recomputes every convolution's pre-activation during
 * backprop and allocates, permutes and validates per layer.
 *
 * <p>Two rewrites keep the function and change the work. The output layer, an upsampling by 2
 * then a 3×3 sigmoid convolution, runs in the sub-pixel form of {@link SubPixelTail} (the loss
 * computed on the four phases, the kernel's gradient unfolded back); and a minibatch is shared
 * among lanes, one per processor, each running its share's forward and backward on one thread
 * of its own, their gradients summed before the one optimiser step: on small convolutions that
 * beats splitting each op over threads, which meet at a barrier after every op (on a shared
 * 2-core machine, a descheduled core made every barrier wait).
 *
 * <p>Built only for networks made of what the reference autoencoder uses (same-mode stride-1
 * convolutions with bias and ReLU or identity, max pooling, nearest upsampling, a sigmoid
 * convolution into a {@code CnnLossLayer} with binary cross-entropy or squared error), trained
 * with Adam or Adadelta by stochastic gradient descent with no regularisation, dropout, weight
 * noise, gradient normalisation or constraints; {@link #of} says empty otherwise. Either layout
 * computes the network's function, whatever layout its layers were configured in: the
 * parameters do not depend on it.
 *
 * <p>Not thread-safe: one plan per training run, closed at its end ({@link #close()} stops the
 * helper threads).
 */
final class Dl4jTrainingPlan implements AutoCloseable {

  /** The fewest images a lane is given: below it, handing work to another thread costs more than it saves. */
  static final int MIN_LANE_IMAGES = 8;

  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  /** Makes a lane's step, whose parameter gradients go into that lane's flat gradient. */
  @FunctionalInterface
  private interface StepFactory {
    TrainingSteps.Step create(INDArray laneGradient);
  }

  private final List<TrainingLane> lanes;
  private final TrainingUpdater updater;
  private final INDArray params;
  private final boolean subPixel;
  /** Runs lanes 1.. on single-threaded helpers; null with one lane. */
  private final ThreadPoolExecutor helpers;

  private Dl4jTrainingPlan(List<TrainingLane> lanes, TrainingUpdater updater, INDArray params, boolean subPixel) {
    this.lanes = lanes;
    this.updater = updater;
    this.params = params;
    this.subPixel = subPixel;
    this.helpers = lanes.size() > 1 ? helperPool(lanes.size() - 1) : null;
  }

  /**
   * The plan of {@code net} for images of {@code shape}, run in {@code format} on up to
   * {@code lanes} threads at once, if every layer, the loss and the updater are supported.
   */
  static Optional<Dl4jTrainingPlan> of(MultiLayerNetwork net, ImageShape shape, CNN2DFormat format, int lanes) {
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    Layer[] layers = net.getLayers();
    if (conf.getBackpropType() != BackpropType.Standard || !net.conf().isMiniBatch() || !net.conf().isMinimize()
        || net.conf().getOptimizationAlgo() != OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT
        || net.params().dataType() != DataType.FLOAT || conf.getInputPreProcess(layers.length - 1) != null) {
      return Optional.empty();
    }
    int last = layers.length - 1;
    Optional<TrainingLoss> loss = last >= 1 ? loss(layers[last], shape) : Optional.empty();
    if (loss.isEmpty()) {
      return Optional.empty();
    }
    INDArray params = net.params().reshape(net.params().length());
    int dropped = SubPixelTail.of(net).map(SubPixelTail::upsampleIndex).orElse(-1);
    IUpdater updaterConfig = null;
    List<StepFactory> recipe = new ArrayList<>();
    long[] dims = {shape.height(), shape.width(), shape.channels()};
    long offset = 0;
    INDArray scratchGradient = Nd4j.create(DataType.FLOAT, params.length());
    for (int i = 0; i < last; i++) {
      var c = layers[i].conf().getLayer();
      if (c instanceof BaseLayer withParams) {
        // one updater over the whole flat gradient, as DL4J's one updater block
        IUpdater u = withParams.getIUpdater();
        IUpdater bias = withParams.getBiasUpdater() == null ? u : withParams.getBiasUpdater();
        if (u == null || !u.equals(bias) || (updaterConfig != null && !updaterConfig.equals(u))) {
          return Optional.empty();
        }
        updaterConfig = u;
      }
      StepFactory step;
      if (i == dropped) {
        step = null;
      } else if (c.getClass() == ConvolutionLayer.class) {
        step = conv((ConvolutionLayer) c, params, offset, i == last - 1, i == dropped + 1 && dropped >= 0, i == 0, format);
      } else if (c.getClass() == SubsamplingLayer.class) {
        step = pool((SubsamplingLayer) c, dims, format);
      } else if (c.getClass() == Upsampling2D.class) {
        int[] size = ((Upsampling2D) c).getSize();
        step = g -> TrainingSteps.upsample(size, format);
      } else {
        return Optional.empty();
      }
      if ((step == null && i != dropped) || c.getIDropout() != null || conf.getInputPreProcess(i) != null) {
        return Optional.empty();
      }
      offset += layers[i].numParams();
      if (step != null) {
        recipe.add(step);
        dims = step.create(scratchGradient).outDims(dims);
      }
    }
    long[] expected = dropped >= 0 ? new long[] {shape.height() / 2, shape.width() / 2, 4L * shape.channels()}
        : new long[] {shape.height(), shape.width(), shape.channels()};
    Optional<TrainingUpdater> updater = TrainingUpdater.of(updaterConfig, params.length());
    if (offset != params.length() || !Arrays.equals(dims, expected) || updater.isEmpty()) {
      return Optional.empty();
    }
    List<TrainingLane> laneList = new ArrayList<>();
    for (int k = 0; k < lanes; k++) {
      INDArray gradient = Nd4j.create(DataType.FLOAT, params.length());
      List<TrainingSteps.Step> steps = new ArrayList<>();
      recipe.forEach(f -> steps.add(f.create(gradient)));
      laneList.add(new TrainingLane(shape, format, dropped >= 0, steps, loss.get(), gradient));
    }
    return Optional.of(new Dl4jTrainingPlan(laneList, updater.get(), params, dropped >= 0));
  }

  private static Optional<TrainingLoss> loss(Layer layer, ImageShape shape) {
    if (!(layer.conf().getLayer() instanceof CnnLossLayer c) || c.getClass() != CnnLossLayer.class
        || !(c.getActivationFn() instanceof ActivationIdentity)) {
      return Optional.empty();
    }
    ILossFunction fn = c.getLossFn();
    if (fn.getClass() == LossBinaryXENT.class && ((LossBinaryXENT) fn).getWeights() == null) {
      return Optional.of(TrainingLoss.binaryCrossEntropy(((LossBinaryXENT) fn).getClipEps()));
    }
    if (fn.getClass() == LossMSE.class && ((LossMSE) fn).getWeights() == null) {
      return Optional.of(TrainingLoss.meanSquaredError(shape.channels()));
    }
    return Optional.empty();
  }

  /**
   * The convolution at {@code offset} in the flat parameters; the output layer's must be a
   * sigmoid, and is run in sub-pixel form when {@code subPixel} (the upsampling before it dropped).
   */
  private static StepFactory conv(ConvolutionLayer c, INDArray params, long offset, boolean output, boolean subPixel,
      boolean first, CNN2DFormat format) {
    int[] k = c.getKernelSize();
    IActivation fn = c.getActivationFn();
    TrainingSteps.Activation activation;
    if (output) {
      activation = fn instanceof ActivationSigmoid ? TrainingSteps.Activation.SIGMOID : null;
    } else if (fn instanceof ActivationReLU relu && relu.getMax() == null && zeroOrUnset(relu.getThreshold())
        && zeroOrUnset(relu.getNegativeSlope())) {
      activation = TrainingSteps.Activation.RELU;
    } else if (fn instanceof ActivationIdentity) {
      activation = TrainingSteps.Activation.IDENTITY;
    } else {
      activation = null;
    }
    boolean fits = activation != null && c.getConvolutionMode() == ConvolutionMode.Same
        && Arrays.equals(c.getStride(), new int[] {1, 1}) && Arrays.equals(c.getDilation(), new int[] {1, 1})
        && c.hasBias() && plain(c) && (!subPixel || output);
    if (!fits) {
      return null;
    }
    long nOut = c.getNOut();
    long weights = nOut * c.getNIn() * k[0] * k[1];
    long[] wShape = {nOut, c.getNIn(), k[0], k[1]};
    INDArray w = weightView(params, offset + nOut, weights, wShape);
    INDArray b = params.get(NDArrayIndex.interval(offset, offset + nOut));
    boolean asProducts = first && !output && format == CNN2DFormat.NHWC && k[0] % 2 == 1 && k[1] % 2 == 1;
    return g -> {
      INDArray gradW = weightView(g, offset + nOut, weights, wShape);
      INDArray gradB = g.get(NDArrayIndex.interval(offset, offset + nOut));
      if (subPixel) {
        return TrainingSteps.subPixelOutput(w, b, gradW, gradB, format);
      }
      return asProducts ? TrainingSteps.firstConvNhwc(k[0], k[1], w, b, gradW, gradB, activation)
          : TrainingSteps.conv(k[0], k[1], w, b, gradW, gradB, activation, output, format);
    };
  }

  private static INDArray weightView(INDArray flat, long from, long length, long[] shape) {
    return flat.get(NDArrayIndex.interval(from, from + length)).reshape('c', shape);
  }

  /** No regularisation, weight noise, gradient normalisation or constraints: what {@link TrainingUpdater} leaves out. */
  private static boolean plain(BaseLayer c) {
    return c.getRegularization().isEmpty() && c.getRegularizationBias().isEmpty() && c.getWeightNoise() == null
        && c.getIDropout() == null && (c.getGradientNormalization() == null
            || c.getGradientNormalization() == GradientNormalization.None)
        && (c.getConstraints() == null || c.getConstraints().isEmpty());
  }

  private static boolean zeroOrUnset(Number value) {
    return value == null || value.doubleValue() == 0;
  }

  private static StepFactory pool(SubsamplingLayer p, long[] in, CNN2DFormat format) {
    int[] k = p.getKernelSize();
    int[] s = p.getStride();
    boolean valid = p.getConvolutionMode() == ConvolutionMode.Truncate
        || (p.getConvolutionMode() == ConvolutionMode.Same && Arrays.equals(k, s) && in[0] % s[0] == 0
            && in[1] % s[1] == 0);
    boolean fits = p.getPoolingType() == PoolingType.MAX && Arrays.equals(p.getPadding(), new int[] {0, 0}) && valid
        && Arrays.equals(p.getDilation(), new int[] {1, 1});
    return fits ? g -> TrainingSteps.maxPool(k, s, format) : null;
  }

  /**
   * One minibatch: forward, loss, backward and the optimiser's step on the network's parameters.
   *
   * @param inputs the network's inputs, CHW rows one image after another
   * @param targets what it should rebuild, likewise
   * @param count the number of images
   * @param iteration DL4J's iteration count before this step
   * @param epoch DL4J's epoch count
   * @return DL4J's score of the minibatch before the step (its loss summed over pixels, averaged
   *     over images)
   */
  double fit(float[] inputs, float[] targets, int count, int iteration, int epoch) {
    double score = computeGradient(inputs, targets, count);
    updater.step(gradient(), params, iteration, epoch);
    return score;
  }

  /**
   * Writes the gradient of the minibatch's mean loss into {@link #gradient()} and returns DL4J's
   * score; the parameters stay as they are. The images are shared among up to as many lanes as
   * the plan has, at least {@value #MIN_LANE_IMAGES} each, which run at once on one thread each
   * (the first on the calling thread); their gradients are summed.
   */
  double computeGradient(float[] inputs, float[] targets, int count) {
    int used = Math.max(1, Math.min(lanes.size(), count / MIN_LANE_IMAGES));
    if (used == 1) {
      return lanes.get(0).run(inputs, targets, 0, count, count);
    }
    List<Future<Double>> others = new ArrayList<>();
    for (int k = 1; k < used; k++) {
      TrainingLane lane = lanes.get(k);
      int from = (int) ((long) count * k / used);
      int to = (int) ((long) count * (k + 1) / used);
      others.add(helpers.submit(() -> lane.run(inputs, targets, from, to, count)));
    }
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int threads = ops.ompGetMaxThreads();
    double score;
    ops.setOmpNumThreads(1);
    try {
      score = lanes.get(0).run(inputs, targets, 0, count / used, count);
    } finally {
      ops.setOmpNumThreads(threads);
    }
    INDArray total = lanes.get(0).gradient();
    for (int k = 0; k < others.size(); k++) {
      score += result(others.get(k));
      total.addi(lanes.get(k + 1).gradient());
    }
    return score;
  }

  private static double result(Future<Double> lane) {
    try {
      return lane.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a training lane ran", e);
    }
  }

  /** The flat gradient of the last {@link #computeGradient} or {@link #fit}, laid out as the network's parameters. */
  INDArray gradient() {
    return lanes.get(0).gradient();
  }

  /** How many lanes this plan shares a minibatch among. */
  int lanes() {
    return lanes.size();
  }

  /** Whether the output layer runs in sub-pixel form. */
  boolean usesSubPixelTail() {
    return subPixel;
  }

  /** Stops the helper threads. Idempotent. */
  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdown();
    }
  }

  private static ThreadPoolExecutor helperPool(int size) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(() -> {
        // each lane runs its ops on its own thread alone
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        r.run();
      }, "drift4j-training-" + THREAD_NUMBER.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
