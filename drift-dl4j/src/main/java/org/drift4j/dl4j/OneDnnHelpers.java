package org.drift4j.dl4j;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNLocalResponseNormalizationHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.LocalResponseNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the layers of the networks Drift4j runs DL4J's oneDNN helpers, which make convolutions
 * several times faster on CPU.
 *
 * <p>DL4J 1.0.0-M2.1 creates its layer helpers only when the JVM-wide system property
 * {@code org.eclipse.deeplearning4j.helpers.disable} is {@code false}, and even then drops them:
 * its check looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class nd4j-native
 * 1.0.0-M2.1 ships under another name. Instead of setting the property and answering the lookup
 * with a class in ND4J's package, this class sets the helper of each supported layer of one
 * network, the same helper DL4J would create, when the loaded backend has oneDNN on and ND4J
 * allows helpers ({@code Nd4j.getEnvironment().allowHelpers(false)} turns them off). Nothing
 * outside the networks it is given changes. A copy of a network ({@code clone()}) gets fresh
 * layers without helpers, so every copy goes through {@link #install} too.
 *
 * <p>Stateless and thread-safe; {@link #install} must not run while the network is in use.
 */
final class OneDnnHelpers {

  private static final Logger LOG = LoggerFactory.getLogger(OneDnnHelpers.class);
  private static final boolean AVAILABLE = probe();

  private OneDnnHelpers() {}

  /** Whether the backend has oneDNN and ND4J allows layer helpers. */
  static boolean available() {
    return AVAILABLE && org.nd4j.linalg.factory.Nd4j.getEnvironment().helpersAllowed();
  }

  /**
   * Sets the oneDNN helper of every layer of {@code model} that DL4J has one for and that has
   * none yet.
   *
   * @return the number of layers that got a helper
   */
  static int install(Model model) {
    if (!available()) {
      return 0;
    }
    Layer[] layers = model instanceof MultiLayerNetwork mln ? mln.getLayers() : ((ComputationGraph) model).getLayers();
    int installed = 0;
    for (Layer layer : layers) {
      if (layer.getHelper() == null && install(layer)) {
        installed++;
      }
    }
    return installed;
  }

  private static boolean install(Layer layer) {
    DataType type = layer.params() == null ? DataType.FLOAT : layer.params().dataType();
    LayerHelper helper;
    Class<?> owner;
    if (layer.getClass() == ConvolutionLayer.class) {
      helper = new MKLDNNConvHelper(type);
      owner = ConvolutionLayer.class;
    } else if (layer.getClass() == SubsamplingLayer.class) {
      helper = new MKLDNNSubsamplingHelper(type);
      owner = SubsamplingLayer.class;
    } else if (layer.getClass() == BatchNormalization.class) {
      helper = new MKLDNNBatchNormHelper(type);
      owner = BatchNormalization.class;
    } else if (layer.getClass() == LocalResponseNormalization.class) {
      helper = new MKLDNNLocalResponseNormalizationHelper(type);
      owner = LocalResponseNormalization.class;
    } else {
      return false;
    }
    try {
      Field field = owner.getDeclaredField("helper");
      field.setAccessible(true);
      field.set(layer, helper);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Drift4j: could not give DL4J layer {} its oneDNN helper; it runs DL4J's built-in path ({})",
          layer.getClass().getSimpleName(), e.toString());
      return false;
    }
  }

  private static boolean probe() {
    try {
      return Nd4jCpu.Environment.getInstance().isUseONEDNN();
    } catch (RuntimeException | LinkageError e) {
      LOG.info("Drift4j: the ND4J backend has no oneDNN ({}); DL4J layers run their built-in path", e.toString());
      return false;
    }
  }
}
