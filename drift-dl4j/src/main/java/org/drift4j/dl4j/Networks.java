package org.drift4j.dl4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between ImageBatch and INDArray, and the operations common to both network kinds. */
final class Networks {

  private Networks() {}

  /** The batch as a float INDArray in {@code format}. */
  static INDArray toArray(ImageBatch batch, CNN2DFormat format) {
    ImageShape s = batch.shape();
    INDArray nchw = Nd4j.create(batch.toFlatArray(), new long[] {batch.size(), s.channels(), s.height(), s.width()}, 'c');
    if (format == CNN2DFormat.NCHW) {
      return nchw;
    }
    // with one channel, NCHW and NHWC share one memory layout
    return s.channels() == 1 ? nchw.reshape('c', batch.size(), s.height(), s.width(), 1) : nchw.permute(0, 2, 3, 1).dup('c');
  }

  /** Rows of CHW values from a network output in {@code format}. */
  static float[][] toRows(INDArray output, CNN2DFormat format, int count, int perImage) {
    INDArray nchw = format == CNN2DFormat.NCHW || output.size(3) == 1 ? output : output.permute(0, 3, 1, 2);
    float[] flat = nchw.castTo(DataType.FLOAT).dup('c').data().asFloat();
    float[][] rows = new float[count][perImage];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * perImage, rows[i], 0, perImage);
    }
    return rows;
  }

  /** Rows of CHW values from a network output in {@code format}, flattened in c order. */
  static float[][] toRows(float[] flat, CNN2DFormat format, int count, ImageShape shape) {
    int n = shape.size();
    int c = shape.channels();
    int hw = shape.height() * shape.width();
    float[][] rows = new float[count][n];
    for (int i = 0; i < count; i++) {
      if (format == CNN2DFormat.NCHW || c == 1) {
        System.arraycopy(flat, i * n, rows[i], 0, n);
      } else {
        for (int p = 0; p < hw; p++) {
          for (int ch = 0; ch < c; ch++) {
            rows[i][ch * hw + p] = flat[i * n + p * c + ch];
          }
        }
      }
    }
    return rows;
  }

  /**
   * Copies {@code values} into {@code target}'s buffer in bulk ({@code DataBuffer.setData} copies
   * value by value, 20 times slower); {@code target} must own its buffer, not be a view.
   */
  static void copyInto(INDArray target, float[] values) {
    if (values.length != target.length() || target.isView()) {
      throw new IllegalArgumentException("target must be an array of " + values.length + " values owning its buffer,"
          + " but held " + target.length() + (target.isView() ? " as a view" : ""));
    }
    java.nio.FloatBuffer buffer = target.data().asNioFloat();
    buffer.position(0);
    buffer.put(values);
  }

  /** {@code count} images' CHW rows, one after another, as HWC rows. */
  static float[] chwToHwc(float[] chw, int count, ImageShape shape) {
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

  /** The largest absolute difference between two equally shaped sets of rows. */
  static double maxDifference(float[][] a, float[][] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return worst;
  }

  /** Reconstruction, in inference mode. */
  static INDArray output(Model model, INDArray input) {
    if (model instanceof MultiLayerNetwork mln) {
      return mln.output(input, false);
    }
    return ((ComputationGraph) model).outputSingle(false, input);
  }

  /**
   * What one image of {@code shape} costs a pass of {@code model}, in bytes: its activations at
   * every layer, input included (native arrays, measured on one image), and three float copies of
   * its pixels (the input rows, the flat output and the output rows, on the heap).
   */
  static long bytesPerImage(Model model, ImageShape shape, CNN2DFormat format) {
    return Float.BYTES * (activationValuesPerImage(model, shape, format) + 3L * shape.size());
  }

  /** The activation values one image of {@code shape} takes in {@code model}: its input and every layer's output. */
  static long activationValuesPerImage(Model model, ImageShape shape, CNN2DFormat format) {
    INDArray probe = toArray(ImageBatch.ofFlat(shape, new float[shape.size()]), format);
    long values = 0;
    if (model instanceof MultiLayerNetwork mln) {
      for (INDArray a : mln.feedForward(probe, false)) {
        values += a.length();
      }
    } else {
      for (INDArray a : ((ComputationGraph) model).feedForward(probe, false).values()) {
        values += a.length();
      }
    }
    return values;
  }

  /** Activations of layer {@code index} of a multi-layer network, in inference mode. */
  static INDArray activations(MultiLayerNetwork net, int index, INDArray input) {
    return net.feedForwardToLayer(index, input, false).get(index + 1);
  }

  /**
   * Throws if {@code model} does not rebuild an input of {@code shape}: it fails on it, or its
   * output has another shape.
   */
  static void requireShapePreserving(Model model, ImageShape shape, CNN2DFormat format) {
    INDArray probe = toArray(ImageBatch.ofFlat(shape, new float[shape.size()]), format);
    INDArray out;
    try {
      out = output(model, probe);
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

  /**
   * Frees a network's off-heap arrays now: parameters, gradients, updater state. Unlike DL4J's
   * {@code close()}, which does the same, it neither runs {@code System.gc()} nor destroys the
   * calling thread's workspaces (other models may use them). The network must not be used after.
   */
  static void free(Model model) {
    INDArray updaterState = null;
    if (model instanceof MultiLayerNetwork mln && mln.getUpdater(false) != null) {
      updaterState = mln.getUpdater(false).getStateViewArray();
    } else if (model instanceof ComputationGraph graph && graph.getUpdater(false) != null) {
      updaterState = graph.getUpdater(false).getStateViewArray();
    }
    for (INDArray a : new INDArray[] {model.params(), model.getGradientsViewArray(), updaterState}) {
      if (a != null && a.closeable() && !a.wasClosed()) {
        a.close();
      }
    }
  }

  static Model copy(Model model) {
    if (model instanceof MultiLayerNetwork mln) {
      return mln.clone();
    }
    return ((ComputationGraph) model).clone();
  }

  /**
   * SHA-256 over what determines the function: the input shape, the layout, every layer's
   * configuration and every parameter.
   */
  static String fingerprint(Model model, ImageShape shape, CNN2DFormat format) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((shape + "|" + format + "|").getBytes(StandardCharsets.UTF_8));
      Layer[] layers = model instanceof MultiLayerNetwork mln ? mln.getLayers() : ((ComputationGraph) model).getLayers();
      for (Layer layer : layers) {
        String conf = layer.conf().getLayer().getClass().getName() + ":" + describe(layer);
        digest.update(conf.getBytes(StandardCharsets.UTF_8));
      }
      float[] params = model.params().castTo(DataType.FLOAT).dup('c').data().asFloat();
      ByteBuffer buffer = ByteBuffer.allocate(params.length * Float.BYTES);
      for (float p : params) {
        buffer.putFloat(p);
      }
      digest.update(buffer.array());
      return "sha256:" + HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  /** The parts of a layer's configuration that shape its function (not its updater). */
  private static String describe(Layer layer) {
    var c = layer.conf().getLayer();
    StringBuilder sb = new StringBuilder();
    if (c instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer conv) {
      sb.append("k=").append(java.util.Arrays.toString(conv.getKernelSize()))
          .append(",s=").append(java.util.Arrays.toString(conv.getStride()))
          .append(",p=").append(java.util.Arrays.toString(conv.getPadding()))
          .append(",mode=").append(conv.getConvolutionMode())
          .append(",nIn=").append(conv.getNIn()).append(",nOut=").append(conv.getNOut())
          .append(",act=").append(conv.getActivationFn());
    } else if (c instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer pool) {
      sb.append("pool=").append(pool.getPoolingType())
          .append(",k=").append(java.util.Arrays.toString(pool.getKernelSize()))
          .append(",s=").append(java.util.Arrays.toString(pool.getStride()));
    } else if (c instanceof org.deeplearning4j.nn.conf.layers.Upsampling2D up) {
      sb.append("size=").append(java.util.Arrays.toString(up.getSize()));
    } else {
      sb.append(c.getLayerName());
    }
    return sb.toString();
  }

  static byte[] serialize(Model model) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelSerializer.writeModel(model, out, false);
    return out.toByteArray();
  }

  static Model deserialize(byte[] bytes, boolean graph) throws IOException {
    return graph
        ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false)
        : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
  }

  /** The activations of layer {@code layer} for a batch, one row per image. */
  static float[][] latentRows(MultiLayerNetwork net, int layer, ImageBatch batch, CNN2DFormat format) {
    INDArray code = activations(net, layer, toArray(batch, format));
    int perImage = (int) (code.length() / batch.size());
    return toRows(code.reshape(batch.size(), perImage, 1, 1), CNN2DFormat.NCHW, batch.size(), perImage);
  }
}
