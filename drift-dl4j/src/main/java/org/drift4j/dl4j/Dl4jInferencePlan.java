package org.drift4j.dl4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageShape;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Upsampling2d;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A multi-layer network's inference as a fixed sequence of ND4J native ops (convolution with
 * bias, in-place activation, max pooling, upsampling) writing into arrays kept between calls:
 * the same kernels DL4J's layers call (oneDNN), without the per-layer work of DL4J's layer
 * machinery (workspaces, validation, fresh arrays), which dominated small batches. Built only for
 * networks made of the layers the reference autoencoder uses; {@link #of} says empty otherwise.
 *
 * <p>Not thread-safe: one plan per network copy of {@link Dl4jAutoencoder}'s pool. Its kept
 * arrays are off-heap and freed by {@link #close}, not by the garbage collector's schedule.
 */
final class Dl4jInferencePlan {

  /** Batch sizes whose arrays are kept (a full chunk and a remainder). */
  private static final int KEPT_SIZES = 2;

  private interface Step {
    /** Output dimensions [H, W, C] for an input of {@code in}. */
    long[] outDims(long[] in);

    void run(INDArray in, INDArray out);
  }

  private final ImageShape shape;
  private final boolean nhwc;
  private final List<Step> steps;
  private final Map<Integer, INDArray[]> arrays = new LinkedHashMap<>(4, 0.75f, true);

  private Dl4jInferencePlan(ImageShape shape, boolean nhwc, List<Step> steps) {
    this.shape = shape;
    this.nhwc = nhwc;
    this.steps = steps;
  }

  /** The plan of {@code net} for images of {@code shape} in {@code format}, if every layer is supported. */
  static Optional<Dl4jInferencePlan> of(MultiLayerNetwork net, ImageShape shape, CNN2DFormat format) {
    boolean nhwc = format == CNN2DFormat.NHWC;
    List<Step> steps = new ArrayList<>();
    Layer[] layers = net.getLayers();
    long[] dims = {shape.height(), shape.width(), shape.channels()};
    for (int i = 0; i < layers.length; i++) {
      var conf = layers[i].conf().getLayer();
      Step step;
      if (conf.getClass() == ConvolutionLayer.class) {
        step = conv((ConvolutionLayer) conf, layers[i], format);
      } else if (conf.getClass() == SubsamplingLayer.class) {
        step = pool((SubsamplingLayer) conf, dims, format);
      } else if (conf.getClass() == Upsampling2D.class && ((Upsampling2D) conf).getFormat() == format) {
        step = upsample(((Upsampling2D) conf).getSize(), nhwc);
      } else if (conf instanceof CnnLossLayer loss && i == layers.length - 1
          && loss.getActivationFn() instanceof ActivationIdentity) {
        continue;
      } else {
        step = null;
      }
      if (step == null) {
        return Optional.empty();
      }
      steps.add(step);
      dims = step.outDims(dims);
    }
    return steps.isEmpty() ? Optional.empty() : Optional.of(new Dl4jInferencePlan(shape, nhwc, steps));
  }

  private static Step conv(ConvolutionLayer c, Layer layer, CNN2DFormat format) {
    int[] k = c.getKernelSize();
    if (c.getConvolutionMode() != ConvolutionMode.Same || !java.util.Arrays.equals(c.getStride(), new int[] {1, 1})
        || !java.util.Arrays.equals(c.getDilation(), new int[] {1, 1}) || c.getCnn2dDataFormat() != format) {
      return null;
    }
    IActivation fn = c.getActivationFn();
    if (!(fn instanceof ActivationIdentity || fn instanceof ActivationReLU || fn instanceof ActivationSigmoid
        || fn instanceof ActivationTanH)) {
      return null;
    }
    if (fn instanceof ActivationReLU relu && (relu.getMax() != null || !zeroOrUnset(relu.getThreshold())
        || !zeroOrUnset(relu.getNegativeSlope()))) {
      return null;
    }
    INDArray w = layer.getParam("W");
    INDArray b = c.hasBias() ? layer.getParam("b").reshape(-1) : null;
    long nOut = c.getNOut();
    Conv2DConfig config = Conv2DConfig.builder().kH(k[0]).kW(k[1]).sH(1).sW(1).dH(1).dW(1)
        .paddingMode(PaddingMode.SAME).dataFormat(format.name()).weightsFormat(WeightsFormat.OIYX).build();
    return new Step() {
      @Override
      public long[] outDims(long[] in) {
        return new long[] {in[0], in[1], nOut};
      }

      @Override
      public void run(INDArray in, INDArray out) {
        INDArray[] inputs = b == null ? new INDArray[] {in, w} : new INDArray[] {in, w, b};
        Nd4j.exec(new Conv2D(inputs, new INDArray[] {out}, config));
        if (fn instanceof ActivationReLU) {
          Nd4j.exec(new RectifiedLinear(out, out, 0.0));
        } else if (fn instanceof ActivationSigmoid) {
          Nd4j.exec(new Sigmoid(out, out));
        } else if (fn instanceof ActivationTanH) {
          Nd4j.exec(new Tanh(out, out));
        }
      }
    };
  }

  private static boolean zeroOrUnset(Number value) {
    return value == null || value.doubleValue() == 0;
  }

  private static Step pool(SubsamplingLayer p, long[] in, CNN2DFormat format) {
    int[] k = p.getKernelSize();
    int[] s = p.getStride();
    boolean noPadding = java.util.Arrays.equals(p.getPadding(), new int[] {0, 0});
    // Same mode pads only where the size is not a multiple of the stride
    boolean valid = p.getConvolutionMode() == ConvolutionMode.Truncate
        || (p.getConvolutionMode() == ConvolutionMode.Same && java.util.Arrays.equals(k, s)
            && in[0] % s[0] == 0 && in[1] % s[1] == 0);
    if (p.getPoolingType() != PoolingType.MAX || !noPadding || !valid || p.getCnn2dDataFormat() != format
        || !java.util.Arrays.equals(p.getDilation(), new int[] {1, 1})) {
      return null;
    }
    Pooling2DConfig config = Pooling2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1]).dH(1).dW(1)
        .paddingMode(PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(format == CNN2DFormat.NHWC).build();
    return new Step() {
      @Override
      public long[] outDims(long[] d) {
        return new long[] {(d[0] - k[0]) / s[0] + 1, (d[1] - k[1]) / s[1] + 1, d[2]};
      }

      @Override
      public void run(INDArray in, INDArray out) {
        Nd4j.exec(new MaxPooling2D(in, out, config));
      }
    };
  }

  private static Step upsample(int[] size, boolean nhwc) {
    return new Step() {
      @Override
      public long[] outDims(long[] d) {
        return new long[] {d[0] * size[0], d[1] * size[1], d[2]};
      }

      @Override
      public void run(INDArray in, INDArray out) {
        Upsampling2d op = new Upsampling2d(in, size[0], size[1], !nhwc);
        op.addOutputArgument(out);
        Nd4j.exec(op);
      }
    };
  }

  /**
   * Runs the network on {@code count} images given as CHW rows in {@code pixels} and returns its
   * output in the network's layout, c order, flattened.
   */
  float[] run(float[] pixels, int count) {
    INDArray[] a = arrays(count);
    INDArray input = a[0];
    if (nhwc && shape.channels() > 1) {
      input.data().setData(toHwc(pixels, count));
    } else {
      input.data().setData(pixels.length == count * shape.size() ? pixels : java.util.Arrays.copyOf(pixels, count * shape.size()));
    }
    for (int i = 0; i < steps.size(); i++) {
      steps.get(i).run(a[i], a[i + 1]);
    }
    INDArray out = a[a.length - 1];
    float[] flat = new float[(int) out.length()];
    FloatBuffer buffer = out.data().asNioFloat();
    buffer.get(flat);
    return flat;
  }

  private float[] toHwc(float[] chw, int count) {
    int c = shape.channels();
    int hw = shape.height() * shape.width();
    float[] hwc = new float[count * shape.size()];
    for (int n = 0; n < count; n++) {
      int base = n * shape.size();
      for (int ch = 0; ch < c; ch++) {
        for (int p = 0; p < hw; p++) {
          hwc[base + p * c + ch] = chw[base + ch * hw + p];
        }
      }
    }
    return hwc;
  }

  private INDArray[] arrays(int count) {
    INDArray[] a = arrays.get(count);
    if (a == null) {
      if (arrays.size() >= KEPT_SIZES) {
        free(arrays.remove(arrays.keySet().iterator().next()));
      }
      a = new INDArray[steps.size() + 1];
      long[] dims = {shape.height(), shape.width(), shape.channels()};
      a[0] = allocate(count, dims);
      for (int i = 0; i < steps.size(); i++) {
        dims = steps.get(i).outDims(dims);
        a[i + 1] = allocate(count, dims);
      }
      arrays.put(count, a);
    }
    return a;
  }

  /** Frees the kept arrays; a later {@link #run} allocates new ones. */
  void close() {
    for (INDArray[] kept : arrays.values()) {
      free(kept);
    }
    arrays.clear();
  }

  /** The arrays kept for each chunk size, for tests. */
  java.util.Collection<INDArray[]> kept() {
    return java.util.List.copyOf(arrays.values());
  }

  private static void free(INDArray[] kept) {
    for (INDArray a : kept) {
      if (a.closeable()) {
        a.close();
      }
    }
  }

  private INDArray allocate(int count, long[] hwc) {
    return nhwc ? Nd4j.create(DataType.FLOAT, count, hwc[0], hwc[1], hwc[2])
        : Nd4j.create(DataType.FLOAT, count, hwc[2], hwc[0], hwc[1]);
  }
}
