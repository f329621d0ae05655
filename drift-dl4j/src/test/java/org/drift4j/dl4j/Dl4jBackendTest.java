package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

/** The speed fix is in place: oneDNN natives load and DL4J's convolution layers use them. */
class Dl4jBackendTest {

  @Test
  void theOneDnnNativesAreLoadedAndTheLayerHelpersEnabled() {
    String description = Dl4jBackend.ensureConfigured();
    assertThat(description).contains("oneDNN on").contains("layer helpers on");
    assertThat(System.getProperty(Dl4jBackend.HELPERS_PROPERTY)).isEqualTo("false");
  }

  @Test
  void convolutionLayersGetTheOneDnnHelper() throws Exception {
    Dl4jBackend.ensureConfigured();
    MultiLayerNetwork net = new MultiLayerNetwork(TinyModels.ARCHITECTURE.toConfiguration(new Adam(), 1, org.deeplearning4j.nn.conf.CNN2DFormat.NCHW));
    net.init();
    Layer conv = net.getLayer(0);
    Field helper = conv.getClass().getDeclaredField("helper");
    helper.setAccessible(true);
    assertThat(helper.get(conv)).as("DL4J conv layer helper").isNotNull()
        .extracting(h -> h.getClass().getSimpleName()).isEqualTo("MKLDNNConvHelper");
  }
}
