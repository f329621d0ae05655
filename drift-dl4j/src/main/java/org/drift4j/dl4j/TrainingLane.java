package org.drift4j.dl4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.drift4j.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One share of a {@link Dl4jTrainingPlan}'s minibatch: its steps (whose parameter gradients go
 * into this lane's flat gradient), and the forward and backward arrays it keeps per share size.
 * Not thread-safe: one thread runs a lane at a time.
 */
final class TrainingLane {

  /** Share sizes whose arrays are kept (a full minibatch's share and the epoch's remainder's). */
  private static final int KEPT_SIZES = 2;

  /** A share size's arrays: activations and their gradients at each step boundary, the targets, loss scratch. */
  private static final class Buffers {
    final INDArray[] activations;
    final INDArray[] gradients;
    final INDArray targets;
    final INDArray[] scratch;

    Buffers(INDArray[] activations, INDArray[] gradients, INDArray targets, INDArray[] scratch) {
      this.activations = activations;
      this.gradients = gradients;
      this.targets = targets;
      this.scratch = scratch;
    }
  }

  private final ImageShape shape;
  private final CNN2DFormat format;
  private final boolean subPixel;
  private final List<TrainingSteps.Step> steps;
  private final TrainingLoss loss;
  private final INDArray gradient;
  private final Map<Integer, Buffers> kept = new LinkedHashMap<>(4, 0.75f, true);

  TrainingLane(ImageShape shape, CNN2DFormat format, boolean subPixel, List<TrainingSteps.Step> steps,
      TrainingLoss loss, INDArray gradient) {
    this.shape = shape;
    this.format = format;
    this.subPixel = subPixel;
    this.steps = steps;
    this.loss = loss;
    this.gradient = gradient;
  }

  /** This lane's flat gradient, laid out as the network's parameters. */
  INDArray gradient() {
    return gradient;
  }

  /**
   * Forward and backward over images {@code from}..{@code to} of a minibatch of {@code total}:
   * writes this share's part of the gradient of the minibatch's mean loss and returns its part of
   * DL4J's score.
   */
  double run(float[] inputs, float[] targets, int from, int to, int total) {
    int count = to - from;
    Buffers b = buffers(count);
    INDArray[] a = b.activations;
    INDArray[] d = b.gradients;
    Networks.copyInto(a[0], layout(slice(inputs, from, to), count));
    float[] y = slice(targets, from, to);
    Networks.copyInto(b.targets, subPixel
        ? SubPixelTail.toPhases(y, count, shape.channels(), shape.height(), shape.width(), format)
        : layout(y, count));
    for (int i = 0; i < steps.size(); i++) {
      steps.get(i).forward(a[i], a[i + 1]);
    }
    int out = steps.size();
    double score = loss.gradient(a[out], b.targets, d[out], b.scratch[0], b.scratch[1], b.scratch[2], total);
    for (int i = out - 1; i >= 0; i--) {
      steps.get(i).backward(a[i], a[i + 1], d[i + 1], d[i]);
    }
    return score;
  }

  private float[] slice(float[] rows, int from, int to) {
    int n = shape.size();
    return from == 0 && rows.length == to * n ? rows : Arrays.copyOfRange(rows, from * n, to * n);
  }

  private float[] layout(float[] chw, int count) {
    return format == CNN2DFormat.NHWC && shape.channels() > 1 ? Networks.chwToHwc(chw, count, shape) : chw;
  }

  private Buffers buffers(int count) {
    Buffers b = kept.get(count);
    if (b == null) {
      if (kept.size() >= KEPT_SIZES) {
        kept.remove(kept.keySet().iterator().next());
      }
      INDArray[] a = new INDArray[steps.size() + 1];
      INDArray[] d = new INDArray[steps.size() + 1];
      long[] dims = {shape.height(), shape.width(), shape.channels()};
      a[0] = allocate(count, dims);
      d[0] = allocate(count, dims);
      for (int i = 0; i < steps.size(); i++) {
        dims = steps.get(i).outDims(dims);
        a[i + 1] = allocate(count, dims);
        d[i + 1] = allocate(count, dims);
      }
      INDArray[] scratch = {allocate(count, dims), allocate(count, dims), allocate(count, dims)};
      b = new Buffers(a, d, allocate(count, dims), scratch);
      kept.put(count, b);
    }
    return b;
  }

  private INDArray allocate(int count, long[] hwc) {
    return format == CNN2DFormat.NHWC ? Nd4j.create(DataType.FLOAT, count, hwc[0], hwc[1], hwc[2])
        : Nd4j.create(DataType.FLOAT, count, hwc[2], hwc[0], hwc[1]);
  }
}
