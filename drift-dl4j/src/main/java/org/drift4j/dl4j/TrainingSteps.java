package org.drift4j.dl4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Upsampling2d;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The layers of a {@link Dl4jTrainingPlan}, each a few libnd4j ops forward and backward (the ops
 * DL4J's layers and oneDNN helpers call: conv2d and conv2d_bp, maxpool2d and maxpool2d_bp,
 * upsampling2d and upsampling_bp, relu_bp), on arrays the plan keeps. Stateless apart from the
 * parameter views a convolution holds; not thread-safe.
 */
final class TrainingSteps {

  private TrainingSteps() {}

  /** Element-wise activations a plan runs. */
  enum Activation { IDENTITY, RELU, SIGMOID }

  /** One layer, forward and backward. */
  interface Step {
    /** Output dimensions [H, W, C] for an input of {@code in}. */
    long[] outDims(long[] in);

    void forward(INDArray in, INDArray out);

    /**
     * Writes the gradient of the loss with respect to the input into {@code dIn}, from the
     * gradient with respect to the output, {@code dOut} (which it may overwrite), and writes the
     * gradients of its parameters into their views. {@code in} and {@code out} hold the forward
     * pass's arrays.
     */
    void backward(INDArray in, INDArray out, INDArray dOut, INDArray dIn);
  }

  /**
   * A same-mode convolution, stride 1, with bias, kernel weights [out, in, kH, kW], followed by
   * its activation (identity or ReLU; sigmoid only with {@code activationInLoss}). With
   * {@code activationInLoss} its backward pass takes the gradient with respect to the
   * pre-activation (the loss computed it, as DL4J's output layer does).
   */
  static Step conv(int kH, int kW, INDArray w, INDArray b, INDArray gradW, INDArray gradB, Activation activation,
      boolean activationInLoss, CNN2DFormat format) {
    return new Conv(kH, kW, w, b, gradW, gradB, activation, activationInLoss, format == CNN2DFormat.NHWC);
  }

  /**
   * Upsampling by 2 followed by the output layer's 3×3 sigmoid convolution, in the sub-pixel form
   * of {@link SubPixelTail}: a half-resolution convolution whose 4·C outputs per pixel are the
   * four phases of each output channel. The kernel is folded from the network's {@code w} and
   * {@code b} at every forward pass, and the folded kernel's gradient unfolded into
   * {@code gradW} and {@code gradB} (the fold is linear). The loss is computed on the phases, so
   * its targets come in that layout ({@link SubPixelTail#toPhases}).
   */
  static Step subPixelOutput(INDArray w, INDArray b, INDArray gradW, INDArray gradB, CNN2DFormat format) {
    int nOut = (int) w.size(0);
    int nIn = (int) w.size(1);
    INDArray w4 = Nd4j.create(DataType.FLOAT, 4L * nOut, nIn, 3, 3);
    INDArray b4 = Nd4j.create(DataType.FLOAT, 4L * nOut);
    INDArray gradW4 = w4.ulike();
    INDArray gradB4 = b4.ulike();
    Conv folded = new Conv(3, 3, w4, b4, gradW4, gradB4, Activation.SIGMOID, true, format == CNN2DFormat.NHWC);
    return new Step() {
      @Override
      public long[] outDims(long[] in) {
        return folded.outDims(in);
      }

      @Override
      public void forward(INDArray in, INDArray out) {
        w4.data().setData(SubPixelTail.foldKernel(floats(w), nOut, nIn));
        b4.data().setData(SubPixelTail.foldBias(floats(b)));
        folded.forward(in, out);
      }

      @Override
      public void backward(INDArray in, INDArray out, INDArray dOut, INDArray dIn) {
        folded.backward(in, out, dOut, dIn);
        gradW.assign(Nd4j.create(SubPixelTail.unfoldKernelGradient(floats(gradW4), nOut, nIn), w.shape(), 'c'));
        float[] g4 = floats(gradB4);
        float[] g = new float[nOut];
        for (int k = 0; k < g4.length; k++) {
          g[k / 4] += g4[k];
        }
        gradB.assign(Nd4j.createFromArray(g));
      }
    };
  }

  /**
   * The network's first layer in NHWC: a same-mode convolution, stride 1, odd kernel, with bias
   * and ReLU or identity, computed as matrix products with its input's patches (im2col in Java,
   * then GEMM), since nothing needs the gradient of the images. With few input channels, oneDNN
   * runs such a convolution an order of magnitude below its usual rate, and its backward pass
   * computes that unneeded input gradient too.
   */
  static Step firstConvNhwc(int kH, int kW, INDArray w, INDArray b, INDArray gradW, INDArray gradB,
      Activation activation) {
    return new FirstConv(kH, kW, w, b, gradW, gradB, activation);
  }

  /** Max pooling without padding, kernel and stride as given. */
  static Step maxPool(int[] kernel, int[] stride, CNN2DFormat format) {
    Pooling2DConfig config = Pooling2DConfig.builder().kH(kernel[0]).kW(kernel[1]).sH(stride[0]).sW(stride[1]).dH(1)
        .dW(1).paddingMode(PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(format == CNN2DFormat.NHWC)
        .build();
    return new Step() {
      @Override
      public long[] outDims(long[] d) {
        return new long[] {(d[0] - kernel[0]) / stride[0] + 1, (d[1] - kernel[1]) / stride[1] + 1, d[2]};
      }

      @Override
      public void forward(INDArray in, INDArray out) {
        Nd4j.exec(new MaxPooling2D(in, out, config));
      }

      @Override
      public void backward(INDArray in, INDArray out, INDArray dOut, INDArray dIn) {
        Nd4j.exec(new Pooling2DDerivative(in, dOut, dIn, config));
      }
    };
  }

  /** Nearest-neighbour upsampling by {@code size}. */
  static Step upsample(int[] size, CNN2DFormat format) {
    boolean nchw = format == CNN2DFormat.NCHW;
    return new Step() {
      @Override
      public long[] outDims(long[] d) {
        return new long[] {d[0] * size[0], d[1] * size[1], d[2]};
      }

      @Override
      public void forward(INDArray in, INDArray out) {
        Upsampling2d op = new Upsampling2d(in, size[0], size[1], nchw);
        op.addOutputArgument(out);
        Nd4j.exec(op);
      }

      @Override
      public void backward(INDArray in, INDArray out, INDArray dOut, INDArray dIn) {
        // libnd4j's upsampling_bp takes the layout only (1 = NCHW) and reads the factors from the shapes
        Nd4j.exec(DynamicCustomOp.builder("upsampling_bp").addInputs(in, dOut).addOutputs(dIn)
            .addIntegerArguments(nchw ? 1 : 0).build());
      }
    };
  }

  /** The values of {@code a} in c order (a copy). */
  private static float[] floats(INDArray a) {
    return a.dup('c').data().asFloat();
  }

  /** The gradient of a bias: the sum of the pre-activation's gradient over images and pixels. */
  private static final class BiasGradient {
    /** A row of ones per pixel count, kept: a product with it sums an NHWC gradient's rows fast. */
    private final java.util.Map<Long, INDArray> ones = new java.util.HashMap<>();

    void gradient(INDArray dz, INDArray gradB, boolean nhwc) {
      if (!nhwc) {
        dz.sum(gradB, 0, 2, 3);
        return;
      }
      long channels = dz.size(3);
      long rows = dz.length() / channels;
      INDArray one = ones.get(rows);
      if (one == null) {
        if (ones.size() >= 2) {
          ones.clear();
        }
        one = Nd4j.ones(DataType.FLOAT, 1, rows);
        ones.put(rows, one);
      }
      Nd4j.gemm(one, dz.reshape('c', rows, channels), gradB.reshape(1, channels), false, false, 1.0, 0.0);
    }
  }

  private static final class FirstConv implements Step {
    /** The most patch values one matrix product takes: larger images go in several image groups. */
    private static final int MAX_PATCH_VALUES = 1 << 21;

    private final int kH;
    private final int kW;
    private final INDArray w2d;
    private final INDArray b;
    private final INDArray gradW2d;
    private final INDArray gradB;
    private final Activation activation;
    private final int patch;
    /** Patch matrices by row count (a full group and the last one), kept between calls. */
    private final java.util.Map<Long, INDArray> patches = new java.util.HashMap<>();
    /** Whether {@link #patches} still holds the last forward's only group. */
    private boolean patchesHoldInput;
    /** The Java side of the last patch matrix, reused. */
    private float[] scratch = new float[0];
    private final BiasGradient biases = new BiasGradient();

    FirstConv(int kH, int kW, INDArray w, INDArray b, INDArray gradW, INDArray gradB, Activation activation) {
      this.kH = kH;
      this.kW = kW;
      this.patch = (int) (w.size(1) * kH * kW);
      this.w2d = w.reshape('c', w.size(0), patch);
      this.b = b;
      this.gradW2d = gradW.reshape('c', w.size(0), patch);
      this.gradB = gradB;
      this.activation = activation;
    }

    @Override
    public long[] outDims(long[] in) {
      return new long[] {in[0], in[1], w2d.size(0)};
    }

    @Override
    public void forward(INDArray in, INDArray out) {
      float[] x = in.data().asFloat();
      int[] groups = groups(in);
      INDArray out2d = out.reshape('c', out.length() / w2d.size(0), w2d.size(0));
      long pixels = in.size(1) * in.size(2);
      for (int g = 0; g + 1 < groups.length; g++) {
        INDArray cols = patches(x, in, groups[g], groups[g + 1]);
        // [pixels, out] = patches^T [pixels, taps] x W^T [taps, out]
        Nd4j.gemm(cols, w2d, rows(out2d, groups[g] * pixels, groups[g + 1] * pixels), true, true, 1.0, 0.0);
      }
      patchesHoldInput = groups.length == 2;
      out2d.addiRowVector(b);
      if (activation == Activation.RELU) {
        Nd4j.exec(new RectifiedLinear(out, out, 0.0));
      }
    }

    @Override
    public void backward(INDArray in, INDArray out, INDArray dOut, INDArray dIn) {
      if (activation == Activation.RELU) {
        Nd4j.exec(new RectifiedLinearDerivative(out, dOut, dOut));
      }
      INDArray d2d = dOut.reshape('c', dOut.length() / w2d.size(0), w2d.size(0));
      int[] groups = groups(in);
      float[] x = patchesHoldInput ? null : in.data().asFloat();
      long pixels = in.size(1) * in.size(2);
      for (int g = 0; g + 1 < groups.length; g++) {
        INDArray cols = patchesHoldInput ? patches.get((groups[1] - groups[0]) * pixels)
            : patches(x, in, groups[g], groups[g + 1]);
        // [out, taps] += dZ^T [out, pixels] x patches^T [pixels, taps]
        Nd4j.gemm(rows(d2d, groups[g] * pixels, groups[g + 1] * pixels), cols, gradW2d, true, true, 1.0,
            g == 0 ? 0.0 : 1.0);
      }
      biases.gradient(dOut, gradB, true);
    }

    /** Image boundaries of the groups a batch is multiplied in. */
    private int[] groups(INDArray in) {
      int n = (int) in.size(0);
      long perImage = in.size(1) * in.size(2) * patch;
      int per = (int) Math.max(1, Math.min(n, MAX_PATCH_VALUES / perImage));
      int[] bounds = new int[(n + per - 1) / per + 1];
      for (int g = 0; g < bounds.length; g++) {
        bounds[g] = Math.min(n, g * per);
      }
      return bounds;
    }

    private static INDArray rows(INDArray matrix, long from, long to) {
      return from == 0 && to == matrix.size(0) ? matrix
          : matrix.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /**
     * The patches of images {@code from}..{@code to} of {@code in} (NHWC, values {@code x}),
     * transposed: one row per kernel tap (channel, ky, kx), one column per output pixel, so that
     * each tap's row is the input shifted, copied a row of pixels at a time.
     */
    private INDArray patches(float[] x, INDArray in, int from, int to) {
      int h = (int) in.size(1);
      int wd = (int) in.size(2);
      int c = (int) in.size(3);
      int pixels = (to - from) * h * wd;
      float[] cols = scratch.length == patch * pixels ? scratch : new float[patch * pixels];
      scratch = cols;
      for (int ch = 0; ch < c; ch++) {
        for (int ky = 0; ky < kH; ky++) {
          for (int kx = 0; kx < kW; kx++) {
            int row = ((ch * kH + ky) * kW + kx) * pixels;
            int dy = ky - (kH - 1) / 2;
            int dx = kx - (kW - 1) / 2;
            int x0 = Math.max(0, -dx);
            int x1 = Math.min(wd, wd - dx);
            for (int n = from; n < to; n++) {
              for (int y = 0; y < h; y++) {
                int dst = row + ((n - from) * h + y) * wd;
                int yy = y + dy;
                if (yy < 0 || yy >= h) {
                  java.util.Arrays.fill(cols, dst, dst + wd, 0f);
                  continue;
                }
                java.util.Arrays.fill(cols, dst, dst + x0, 0f);
                java.util.Arrays.fill(cols, dst + x1, dst + wd, 0f);
                int src = (n * h + yy) * wd;
                if (c == 1) {
                  System.arraycopy(x, src + x0 + dx, cols, dst + x0, x1 - x0);
                } else {
                  for (int xs = x0; xs < x1; xs++) {
                    cols[dst + xs] = x[(src + xs + dx) * c + ch];
                  }
                }
              }
            }
          }
        }
      }
      INDArray kept = patches.get((long) pixels);
      if (kept == null) {
        if (patches.size() >= 2) {
          patches.clear();
        }
        kept = Nd4j.create(DataType.FLOAT, patch, pixels);
        patches.put((long) pixels, kept);
      }
      Networks.copyInto(kept, cols);
      return kept;
    }
  }

  private static final class Conv implements Step {
    private final INDArray w;
    private final INDArray b;
    private final INDArray gradW;
    private final INDArray gradB;
    private final Activation activation;
    private final boolean activationInLoss;
    private final Conv2DConfig config;
    private final int[] backwardArgs;
    private final boolean nhwc;
    private final BiasGradient biases = new BiasGradient();

    Conv(int kH, int kW, INDArray w, INDArray b, INDArray gradW, INDArray gradB, Activation activation,
        boolean activationInLoss, boolean nhwc) {
      this.w = w;
      this.b = b;
      this.gradW = gradW;
      this.gradB = gradB;
      this.activation = activation;
      this.activationInLoss = activationInLoss;
      this.nhwc = nhwc;
      this.config = Conv2DConfig.builder().kH(kH).kW(kW).sH(1).sW(1).dH(1).dW(1).paddingMode(PaddingMode.SAME)
          .dataFormat(nhwc ? "NHWC" : "NCHW").weightsFormat(WeightsFormat.OIYX).build();
      // kH, kW, sH, sW, pH, pW, dH, dW, same mode, layout (1 = NHWC), weights format (1 = [out, in, kH, kW])
      this.backwardArgs = new int[] {kH, kW, 1, 1, 0, 0, 1, 1, 1, nhwc ? 1 : 0, 1};
    }

    @Override
    public long[] outDims(long[] in) {
      return new long[] {in[0], in[1], w.size(0)};
    }

    @Override
    public void forward(INDArray in, INDArray out) {
      Nd4j.exec(new Conv2D(new INDArray[] {in, w, b}, new INDArray[] {out}, config));
      if (activation == Activation.RELU) {
        Nd4j.exec(new RectifiedLinear(out, out, 0.0));
      } else if (activation == Activation.SIGMOID) {
        Nd4j.exec(new Sigmoid(out, out));
      }
    }

    @Override
    public void backward(INDArray in, INDArray out, INDArray dOut, INDArray dIn) {
      if (!activationInLoss && activation == Activation.RELU) {
        // relu'(z) = 1 where the output is positive, as where z is
        Nd4j.exec(new RectifiedLinearDerivative(out, dOut, dOut));
      }
      // without the bias: libnd4j's conv2d_bp reduces the bias gradient slowly (half its time on
      // 28x28x32); the input and weight gradients do not depend on the bias
      Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(in, w, dOut).addOutputs(dIn, gradW)
          .addIntegerArguments(backwardArgs).build());
      biases.gradient(dOut, gradB, nhwc);
    }
  }
}
