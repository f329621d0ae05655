package org.drift4j.dl4j;

import static org.drift4j.onnx.proto.OnnxProto.floatTensor;
import static org.drift4j.onnx.proto.OnnxProto.integer;
import static org.drift4j.onnx.proto.OnnxProto.ints;
import static org.drift4j.onnx.proto.OnnxProto.node;
import static org.drift4j.onnx.proto.OnnxProto.string;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageShape;
import org.drift4j.onnx.proto.OnnxProto;
import org.drift4j.onnx.proto.Protobuf;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a DL4J autoencoder as an ONNX model (standard ONNX protobuf, opset 13, NCHW, dynamic
 * batch dimension {@code N}), so that a model trained with DL4J scores on ONNX Runtime.
 *
 * <p>Supported layers, the ones the reference autoencoder uses: {@code ConvolutionLayer} with
 * {@code Same} mode, stride 1, no dilation and an odd kernel; {@code SubsamplingLayer} MAX with
 * equal kernel and stride; {@code Upsampling2D} (nearest); activations ReLU, sigmoid and identity;
 * a final {@code CnnLossLayer} with identity activation (dropped: it only computes the loss). Any
 * other layer is refused by name.
 *
 * <p>A final Upsampling2D(2) → 3×3 convolution is written in its sub-pixel form (a half-resolution
 * Conv with four phase kernels per output channel, its activation, then DepthToSpace in CRD mode):
 * the same function at a quarter of the last layer's cost (see {@link Dl4jAutoencoder}).
 *
 * <p>The model records the source's fingerprint in its metadata ({@value #SOURCE_FINGERPRINT}),
 * and what one image takes in activations
 * ({@value org.drift4j.onnx.proto.OnnxProto#ACTIVATION_VALUES_PER_IMAGE}, measured on the
 * network), by which ONNX Runtime's chunks are sized;
 * a baseline computed with the DL4J model applies to the ONNX one only after the equivalence is
 * verified (drift-onnx's {@code OnnxVerification}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Dl4jOnnxExporter {

  /** Metadata key holding the source model's fingerprint. */
  public static final String SOURCE_FINGERPRINT = "drift4j.sourceFingerprint";
  /** Metadata key holding the input shape, e.g. {@code 1x28x28}. */
  public static final String INPUT_SHAPE = "drift4j.inputShape";
  /** The ONNX opset the models use. */
  public static final int OPSET = 13;


  private Dl4jOnnxExporter() {}

  /**
   * Exports a Drift4j DL4J autoencoder.
   *
   * @param autoencoder the model, which keeps running (its network is copied)
   * @return the ONNX model's bytes
   * @throws IllegalArgumentException if it wraps a computation graph or holds a layer that cannot
   *     be exported
   */
  public static byte[] export(Dl4jAutoencoder autoencoder) {
    Objects.requireNonNull(autoencoder, "autoencoder");
    return export(autoencoder.multiLayerNetwork(), autoencoder.inputShape(), autoencoder.fingerprint());
  }

  /**
   * Exports a shape-preserving multi-layer network.
   *
   * @param network the network
   * @param shape its input (and output) shape
   * @param fingerprint recorded as the source fingerprint
   * @return the ONNX model's bytes
   * @throws IllegalArgumentException if a layer cannot be exported, naming it
   */
  public static byte[] export(MultiLayerNetwork network, ImageShape shape, String fingerprint) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Protobuf graph = new Protobuf();
    graph.string(2, "drift4j-autoencoder");
    List<Protobuf> initializers = new ArrayList<>();
    String current = "input";

    Layer[] layers = network.getLayers();
    int subPixelUpsample = SubPixelTail.of(network).map(SubPixelTail::upsampleIndex).orElse(-1);
    for (int i = 0; i < layers.length; i++) {
      var conf = layers[i].conf().getLayer();
      String prefix = "l" + i + "_";
      if (i == subPixelUpsample) {
        continue;
      }
      if (i == subPixelUpsample + 1) {
        current = subPixelConv(graph, initializers, i, (ConvolutionLayer) conf, layers[i], current);
      } else if (conf instanceof ConvolutionLayer conv && conf.getClass() == ConvolutionLayer.class) {
        requireExportableConv(i, conv);
        INDArray w = layers[i].getParam("W");
        INDArray b = layers[i].getParam("b");
        long[] wShape = {conv.getNOut(), conv.getNIn(), conv.getKernelSize()[0], conv.getKernelSize()[1]};
        initializers.add(tensor(prefix + "W", wShape, w));
        initializers.add(tensor(prefix + "b", new long[] {conv.getNOut()}, b));
        int kh = conv.getKernelSize()[0];
        int kw = conv.getKernelSize()[1];
        String out = prefix + "conv";
        graph.message(1, node("Conv", prefix + "Conv", List.of(current, prefix + "W", prefix + "b"), out,
            ints("kernel_shape", kh, kw), ints("pads", kh / 2, kw / 2, kh / 2, kw / 2), ints("strides", 1, 1),
            ints("dilations", 1, 1)));
        current = activation(graph, i, conv.getActivationFn(), out);
      } else if (conf instanceof SubsamplingLayer pool && conf.getClass() == SubsamplingLayer.class) {
        int[] k = pool.getKernelSize();
        int[] s = pool.getStride();
        if (pool.getPoolingType() != org.deeplearning4j.nn.conf.layers.PoolingType.MAX || !Arrays.equals(k, s)) {
          throw refuse(i, conf, "only MAX pooling with stride equal to the kernel is supported");
        }
        String out = prefix + "pool";
        graph.message(1, node("MaxPool", prefix + "MaxPool", List.of(current), out, ints("kernel_shape", k[0], k[1]),
            ints("strides", s[0], s[1])));
        current = out;
      } else if (conf instanceof Upsampling2D up) {
        int[] size = up.getSize();
        initializers.add(floatTensor(prefix + "scales", new long[] {4}, 1f, 1f, size[0], size[1]));
        String out = prefix + "up";
        graph.message(1, node("Resize", prefix + "Resize", List.of(current, "", prefix + "scales"), out,
            string("mode", "nearest"), string("coordinate_transformation_mode", "asymmetric"),
            string("nearest_mode", "floor")));
        current = out;
      } else if (conf instanceof CnnLossLayer loss && i == layers.length - 1) {
        if (!(loss.getActivationFn() instanceof ActivationIdentity)) {
          throw refuse(i, conf, "the loss layer's activation must be identity, but was " + loss.getActivationFn());
        }
      } else {
        throw refuse(i, conf, "supported: ConvolutionLayer, SubsamplingLayer, Upsampling2D, a final CnnLossLayer");
      }

    }
    graph.message(1, node("Identity", "output_identity", List.of(current), "output"));
    for (Protobuf t : initializers) {
      graph.message(5, t);
    }
    graph.message(11, valueInfo("input", shape));
    graph.message(12, valueInfo("output", shape));

    return OnnxProto.model(graph, OPSET, "0.1.0-SNAPSHOT", SOURCE_FINGERPRINT, fingerprint, INPUT_SHAPE, shape.toString(),
        OnnxProto.ACTIVATION_VALUES_PER_IMAGE, activationValues(network, shape)).toByteArray();
  }

  /** Upsample(2) → Conv(3×3) → activation as a half-resolution Conv with 4 phase kernels → activation → DepthToSpace. */
  private static String subPixelConv(Protobuf graph, List<Protobuf> initializers, int index, ConvolutionLayer conv,
      Layer layer, String input) {
    String prefix = "l" + index + "_";
    int nOut = (int) conv.getNOut();
    int nIn = (int) conv.getNIn();
    float[] w = layer.getParam("W").castTo(DataType.FLOAT).dup('c').data().asFloat();
    float[] b = layer.getParam("b").castTo(DataType.FLOAT).dup('c').data().asFloat();
    float[] b4 = SubPixelTail.foldBias(b);
    initializers.add(floatTensor(prefix + "W", new long[] {4L * nOut, nIn, 3, 3}, SubPixelTail.foldKernel(w, nOut, nIn)));
    initializers.add(floatTensor(prefix + "b", new long[] {4L * nOut}, b4));
    String out = prefix + "conv";
    graph.message(1, node("Conv", prefix + "Conv", List.of(input, prefix + "W", prefix + "b"), out,
        ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1), ints("strides", 1, 1), ints("dilations", 1, 1)));
    String activated = activation(graph, index, conv.getActivationFn(), out);
    String shuffled = prefix + "depth_to_space";
    graph.message(1, node("DepthToSpace", prefix + "DepthToSpace", List.of(activated), shuffled,
        integer("blocksize", 2), string("mode", "CRD")));
    return shuffled;
  }

  /** The activation values one image takes in the network as written (more than its sub-pixel export: a bound). */
  private static String activationValues(MultiLayerNetwork network, ImageShape shape) {
    var first = network.getLayer(0).conf().getLayer();
    CNN2DFormat format = first instanceof ConvolutionLayer c ? c.getCnn2dDataFormat()
        : first instanceof SubsamplingLayer p ? p.getCnn2dDataFormat() : CNN2DFormat.NCHW;
    return String.valueOf(Networks.activationValuesPerImage(network, shape, format));
  }

  private static void requireExportableConv(int index, ConvolutionLayer conv) {
    int[] k = conv.getKernelSize();
    if (conv.getConvolutionMode() != ConvolutionMode.Same || !Arrays.equals(conv.getStride(), new int[] {1, 1})
        || !Arrays.equals(conv.getDilation(), new int[] {1, 1}) || k[0] % 2 == 0 || k[1] % 2 == 0 || !conv.hasBias()) {
      throw refuse(index, conv, "only Same-mode convolutions with stride 1, no dilation, an odd kernel and a bias are"
          + " supported, but had mode " + conv.getConvolutionMode() + ", stride " + Arrays.toString(conv.getStride())
          + ", dilation " + Arrays.toString(conv.getDilation()) + ", kernel " + Arrays.toString(k));
    }
  }

  private static String activation(Protobuf graph, int index, IActivation fn, String input) {
    String prefix = "l" + index + "_";
    if (fn instanceof ActivationIdentity) {
      return input;
    }
    String op;
    if (fn instanceof ActivationReLU) {
      op = "Relu";
    } else if (fn instanceof ActivationSigmoid) {
      op = "Sigmoid";
    } else {
      throw new IllegalArgumentException("layer " + index + " cannot be exported: activation " + fn
          + " is not supported (relu, sigmoid, identity)");
    }
    String out = prefix + op.toLowerCase(java.util.Locale.ROOT);
    graph.message(1, node(op, prefix + op, List.of(input), out));
    return out;
  }

  private static IllegalArgumentException refuse(int index, Object conf, String why) {
    return new IllegalArgumentException("layer " + index + " (" + conf.getClass().getSimpleName()
        + ") cannot be exported to ONNX: " + why);
  }

  private static Protobuf tensor(String name, long[] dims, INDArray values) {
    float[] data = values.castTo(DataType.FLOAT).dup('c').data().asFloat();
    long expected = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    if (data.length != expected) {
      throw new IllegalStateException(name + " must hold " + expected + " values for dims " + Arrays.toString(dims)
          + ", but held " + data.length);
    }
    return floatTensor(name, dims, data);
  }

  private static Protobuf valueInfo(String name, ImageShape shape) {
    return OnnxProto.floatValue(name, "N", (long) shape.channels(), (long) shape.height(), (long) shape.width());
  }

}
