package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

/** The speed fix is in place: oneDNN natives load and the networks Drift4j runs use DL4J's oneDNN helpers. */
class Dl4jBackendTest {

  @Test
  void theOneDnnNativesAreLoadedAndTheLayerHelpersAvailable() {
    assertThat(Dl4jBackend.describe()).contains("oneDNN layer helpers on");
    assertThat(OneDnnHelpers.available()).isTrue();
  }

  @Test
  void loadingTheBackendSetsNoJvmWideProperty() {
    Dl4jBackend.describe();
    assertThat(System.getProperty("org.eclipse.deeplearning4j.helpers.disable")).isNull();
  }

  @Test
  void dl4jAloneGivesItsLayersNoHelperAndDrift4jGivesThemOneDnns() throws Exception {
    Dl4jBackend.describe();
    MultiLayerNetwork net = new MultiLayerNetwork(TinyModels.ARCHITECTURE.toConfiguration(new Adam(), 1, CNN2DFormat.NCHW));
    net.init();
    assertThat(helper(net.getLayer(0))).as("DL4J 1.0.0-M2.1's own lookup fails").isNull();
    assertThat(OneDnnHelpers.install(net)).as("five convolutions, two poolings").isEqualTo(7);
    assertThat(helper(net.getLayer(0))).extracting(h -> h.getClass().getSimpleName()).isEqualTo("MKLDNNConvHelper");
    assertThat(helper(net.getLayer(1))).extracting(h -> h.getClass().getSimpleName()).isEqualTo("MKLDNNSubsamplingHelper");
    assertThat(OneDnnHelpers.install(net)).as("installing twice changes nothing").isZero();
  }

  @Test
  void aCopyOfANetworkGetsHelpersAgain() {
    MultiLayerNetwork net = TinyModels.trained().autoencoder().multiLayerNetwork();
    assertThat(net.getLayer(0).getHelper()).as("clone() makes fresh layers").isNull();
    OneDnnHelpers.install(net);
    assertThat(net.getLayer(0).getHelper()).isNotNull();
  }

  @Test
  void theTrainersNetworkHasTheHelpers() {
    TrainingRun run = new TrainingRun(TinyModels.trainer().build(), TrainingSplit.of(TinyModels.blobs(20, 1), 0.2, 1));
    assertThat(run.network().getLayer(0).getHelper()).isNotNull();
    assertThat(run.network().getLayer(1).getHelper()).isNotNull();
  }

  private static Object helper(Layer layer) throws ReflectiveOperationException {
    Field field = layer.getClass().getDeclaredField("helper");
    field.setAccessible(true);
    return field.get(layer);
  }
}
