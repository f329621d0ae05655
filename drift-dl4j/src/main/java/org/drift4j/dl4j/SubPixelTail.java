package org.drift4j.dl4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sub-pixel form of a network that ends in 2× nearest upsampling followed by a 3×3 same
 * convolution: the same function, computed at half the resolution.
 *
 * <p>Output pixel (2i+py, 2j+px) of conv(upsample(x)) only sees rows i-1..i (py = 0) or i..i+1
 * (py = 1) of x, and likewise for columns, so it equals a 3×3 convolution of x itself whose kernel
 * sums the original taps that land on the same low-resolution pixel. One such kernel per phase
 * (py, px) gives a convolution with 4·C outputs at H/2 × W/2 (channel {@code c·4 + py·2 + px},
 * ONNX's DepthToSpace CRD order), a quarter of the original's output pixels, with no upsampling;
 * an elementwise activation commutes with the rearrangement. The last convolution of the
 * reference autoencoder (32 → 1 channels at full size) was most of DL4J's inference time.
 *
 * <p>Immutable.
 */
final class SubPixelTail {

  private final int upsampleIndex;
  private final int channels;
  private final CNN2DFormat format;

  private SubPixelTail(int upsampleIndex, int channels, CNN2DFormat format) {
    this.upsampleIndex = upsampleIndex;
    this.channels = channels;
    this.format = format;
  }

  /**
   * The tail of {@code net} if it is Upsampling2D(2) → ConvolutionLayer(3×3, stride 1, no
   * dilation, Same, bias, elementwise activation) → optionally a CnnLossLayer with identity
   * activation, and nothing else.
   */
  static Optional<SubPixelTail> of(MultiLayerNetwork net) {
    Layer[] layers = net.getLayers();
    int last = layers.length - 1;
    if (last >= 0 && layers[last].conf().getLayer() instanceof CnnLossLayer loss) {
      if (!(loss.getActivationFn() instanceof ActivationIdentity)) {
        return Optional.empty();
      }
      last--;
    }
    if (last < 1) {
      return Optional.empty();
    }
    var convConf = layers[last].conf().getLayer();
    var upConf = layers[last - 1].conf().getLayer();
    if (convConf.getClass() != ConvolutionLayer.class || upConf.getClass() != Upsampling2D.class) {
      return Optional.empty();
    }
    ConvolutionLayer conv = (ConvolutionLayer) convConf;
    Upsampling2D up = (Upsampling2D) upConf;
    boolean fits = java.util.Arrays.equals(up.getSize(), new int[] {2, 2})
        && java.util.Arrays.equals(conv.getKernelSize(), new int[] {3, 3})
        && java.util.Arrays.equals(conv.getStride(), new int[] {1, 1})
        && java.util.Arrays.equals(conv.getDilation(), new int[] {1, 1})
        && conv.getConvolutionMode() == ConvolutionMode.Same
        && conv.hasBias()
        && elementwise(conv.getActivationFn())
        && up.getFormat() == conv.getCnn2dDataFormat();
    return fits ? Optional.of(new SubPixelTail(last - 1, (int) conv.getNOut(), conv.getCnn2dDataFormat()))
        : Optional.empty();
  }

  private static boolean elementwise(IActivation fn) {
    return fn instanceof ActivationIdentity || fn instanceof ActivationSigmoid || fn instanceof ActivationReLU
        || fn instanceof ActivationTanH;
  }

  /** Index of the upsampling layer that the sub-pixel form drops. */
  int upsampleIndex() {
    return upsampleIndex;
  }

  /**
   * The kernel of the sub-pixel convolution, [4·nOut, nIn, 3, 3] in c order, from the original
   * [nOut, nIn, 3, 3] one.
   */
  static float[] foldKernel(float[] w, int nOut, int nIn) {
    if (w.length != nOut * nIn * 9) {
      throw new IllegalArgumentException("w must hold nOut*nIn*9 = " + nOut * nIn * 9 + " values, but held " + w.length);
    }
    float[] folded = new float[4 * nOut * nIn * 9];
    for (int o = 0; o < nOut; o++) {
      for (int py = 0; py < 2; py++) {
        for (int px = 0; px < 2; px++) {
          int phase = o * 4 + py * 2 + px;
          for (int c = 0; c < nIn; c++) {
            int src = (o * nIn + c) * 9;
            int dst = (phase * nIn + c) * 9;
            for (int ky = 0; ky < 3; ky++) {
              int r = lowResTap(py, ky);
              for (int kx = 0; kx < 3; kx++) {
                folded[dst + r * 3 + lowResTap(px, kx)] += w[src + ky * 3 + kx];
              }
            }
          }
        }
      }
    }
    return folded;
  }

  /**
   * The gradient with respect to the original [nOut, nIn, 3, 3] kernel from that with respect to
   * the folded one: the adjoint of {@link #foldKernel}, which is linear, so each original tap
   * collects the gradients of the folded taps it was summed into.
   */
  static float[] unfoldKernelGradient(float[] g, int nOut, int nIn) {
    if (g.length != 4 * nOut * nIn * 9) {
      throw new IllegalArgumentException("g must hold 4*nOut*nIn*9 = " + 4 * nOut * nIn * 9 + " values, but held "
          + g.length);
    }
    float[] original = new float[nOut * nIn * 9];
    for (int o = 0; o < nOut; o++) {
      for (int py = 0; py < 2; py++) {
        for (int px = 0; px < 2; px++) {
          int phase = o * 4 + py * 2 + px;
          for (int c = 0; c < nIn; c++) {
            int src = (o * nIn + c) * 9;
            int dst = (phase * nIn + c) * 9;
            for (int ky = 0; ky < 3; ky++) {
              int r = lowResTap(py, ky);
              for (int kx = 0; kx < 3; kx++) {
                original[src + ky * 3 + kx] += g[dst + r * 3 + lowResTap(px, kx)];
              }
            }
          }
        }
      }
    }
    return original;
  }

  /**
   * {@code count} images given as CHW rows, one after another, in the sub-pixel output's layout
   * ([N, H/2, W/2, 4C] in NHWC, [N, 4C, H/2, W/2] in NCHW, c order): the inverse of
   * {@link #toRows(float[], int, int, int)}, for training targets.
   */
  static float[] toPhases(float[] chw, int count, int channels, int height, int width, CNN2DFormat format) {
    int h2 = height / 2;
    int w2 = width / 2;
    int perImage = channels * height * width;
    float[] phases = new float[count * perImage];
    for (int n = 0; n < count; n++) {
      int base = n * perImage;
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < 4; p++) {
          int k = c * 4 + p;
          for (int i = 0; i < h2; i++) {
            int rowOffset = base + c * height * width + (2 * i + (p >> 1)) * width + (p & 1);
            for (int j = 0; j < w2; j++) {
              int dst = format == CNN2DFormat.NHWC ? base + (i * w2 + j) * 4 * channels + k : base + (k * h2 + i) * w2 + j;
              phases[dst] = chw[rowOffset + 2 * j];
            }
          }
        }
      }
    }
    return phases;
  }

  /** The bias of the sub-pixel convolution: each output channel's bias for its four phases. */
  static float[] foldBias(float[] b) {
    float[] folded = new float[4 * b.length];
    for (int k = 0; k < folded.length; k++) {
      folded[k] = b[k / 4];
    }
    return folded;
  }

  /** Kernel row (0..2) of the low-resolution tap that original tap {@code k} reads for phase {@code p}. */
  private static int lowResTap(int p, int k) {
    // upsampled offset p + k - 1 lands on low-resolution offset floor((p + k - 1) / 2)
    return Math.floorDiv(p + k - 1, 2) + 1;
  }

  /** The sub-pixel network: the original's parameters, the upsampling dropped, the last conv folded. */
  MultiLayerNetwork network(MultiLayerNetwork original) {
    MultiLayerConfiguration conf = original.getLayerWiseConfigurations().clone();
    List<NeuralNetConfiguration> confs = new java.util.ArrayList<>(conf.getConfs());
    confs.remove(upsampleIndex);
    ConvolutionLayer conv = (ConvolutionLayer) confs.get(upsampleIndex).getLayer();
    long nIn = conv.getNIn();
    conv.setNOut(4L * channels);
    conf.setConfs(confs);
    Map<Integer, InputPreProcessor> pre = new HashMap<>();
    conf.getInputPreProcessors().forEach((i, p) -> {
      if (i < upsampleIndex) {
        pre.put(i, p);
      } else if (i > upsampleIndex) {
        pre.put(i - 1, p);
      }
    });
    conf.setInputPreProcessors(pre);

    MultiLayerNetwork folded = new MultiLayerNetwork(conf);
    folded.init();
    Layer[] from = original.getLayers();
    for (int i = 0, j = 0; i < from.length; i++) {
      if (i == upsampleIndex) {
        continue;
      }
      Layer target = folded.getLayer(j++);
      if (i == upsampleIndex + 1) {
        float[] w = from[i].getParam("W").castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] b = from[i].getParam("b").castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] b4 = foldBias(b);
        DataType type = target.getParam("W").dataType();
        target.setParam("W", Nd4j.create(foldKernel(w, channels, (int) nIn), new long[] {4L * channels, nIn, 3, 3}, 'c')
            .castTo(type));
        target.setParam("b", Nd4j.create(b4, new long[] {1, 4L * channels}, 'c').castTo(type));
      } else {
        for (Map.Entry<String, INDArray> p : from[i].paramTable().entrySet()) {
          target.setParam(p.getKey(), p.getValue().dup());
        }
      }
    }
    return folded;
  }

  /**
   * Rows of CHW values at full size from the sub-pixel network's output ([N, H/2, W/2, 4C] in
   * NHWC, [N, 4C, H/2, W/2] in NCHW).
   */
  float[][] toRows(INDArray output, int count, int height, int width) {
    return toRows(output.castTo(DataType.FLOAT).dup('c').data().asFloat(), count, height, width);
  }

  /** {@link #toRows(INDArray, int, int, int)} from the output flattened in c order. */
  float[][] toRows(float[] flat, int count, int height, int width) {
    int h2 = height / 2;
    int w2 = width / 2;
    int perImage = channels * height * width;
    float[][] rows = new float[count][perImage];
    for (int n = 0; n < count; n++) {
      float[] row = rows[n];
      int base = n * perImage;
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < 4; p++) {
          int py = p >> 1;
          int px = p & 1;
          int k = c * 4 + p;
          for (int i = 0; i < h2; i++) {
            int rowOffset = c * height * width + (2 * i + py) * width + px;
            for (int j = 0; j < w2; j++) {
              int src = format == CNN2DFormat.NHWC
                  ? base + (i * w2 + j) * 4 * channels + k
                  : base + (k * h2 + i) * w2 + j;
              row[rowOffset + 2 * j] = flat[src];
            }
          }
        }
      }
    }
    return rows;
  }
}
