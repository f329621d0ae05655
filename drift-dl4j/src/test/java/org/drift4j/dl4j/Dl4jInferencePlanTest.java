package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class Dl4jInferencePlanTest {

  @ParameterizedTest
  @EnumSource(CNN2DFormat.class)
  void thePlanComputesWhatDl4jComputesInBothLayoutsGreyAndColourAtEveryBatchSize(CNN2DFormat format) {
    Dl4jBackend.describe();
    for (ImageShape shape : new ImageShape[] {ImageShape.grey(12, 12), new ImageShape(3, 8, 12)}) {
      MultiLayerNetwork net = new MultiLayerNetwork(Dl4jArchitecture.builder(shape).filters(8, 6).build()
          .toConfiguration(new Adam(), 9, format));
      net.init();
      Dl4jInferencePlan plan = Dl4jInferencePlan.of(net, shape, format).orElseThrow();
      // sizes that come back after others: the plan's kept arrays are reused and replaced
      for (int count : new int[] {1, 5, 1, 3, 5}) {
        ImageBatch batch = SyntheticImages.noise(shape, count, count);
        float[][] expected = Networks.toRows(net.output(Networks.toArray(batch, format), false), format, count, shape.size());
        float[][] actual = Networks.toRows(plan.run(batch.toFlatArray(), count), format, count, shape);
        for (int i = 0; i < count; i++) {
          for (int p = 0; p < shape.size(); p++) {
            assertThat((double) actual[i][p]).as("%s %s batch %d image %d pixel %d", shape, format, count, i, p)
                .isCloseTo(expected[i][p], org.assertj.core.data.Offset.offset(1e-6));
          }
        }
      }
    }
  }

  @Test
  void networksWithOtherLayersHaveNoPlanAndRunThroughDl4j() {
    Dl4jBackend.describe();
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
        .layer(new BatchNormalization.Builder().build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(1).convolutionMode(ConvolutionMode.Same).activation(Activation.SIGMOID).build())
        .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(8, 8, 1)).build());
    net.init();
    ImageShape shape = ImageShape.grey(8, 8);
    assertThat(Dl4jInferencePlan.of(net, shape, CNN2DFormat.NCHW)).isEmpty();
    Dl4jAutoencoder wrapped = Dl4jAutoencoder.wrap(net, shape);
    assertThat(wrapped.inference().usesOpPlan()).isFalse();
    ImageBatch batch = SyntheticImages.noise(shape, 3, 1);
    float[][] expected = Networks.toRows(net.output(Networks.toArray(batch, CNN2DFormat.NCHW), false), CNN2DFormat.NCHW, 3, 64);
    // the wrapped copy runs on oneDNN helpers, the test's network on DL4J's built-in path
    assertThat(Networks.maxDifference(wrapped.reconstruct(batch), expected)).isLessThan(1e-6);
  }

  @Test
  void trainedModelsRunAsAPlanAndMatchTheirNetworkAtSmallAndLargeBatches() {
    Dl4jAutoencoder trained = TinyModels.trained().autoencoder();
    assertThat(trained.inference().usesOpPlan()).isTrue();
    MultiLayerNetwork asWritten = trained.multiLayerNetwork();
    CNN2DFormat format = CNN2DFormat.valueOf(trained.info().dataFormat());
    // 1 and 3 images run on one thread, 300 in two chunks on all threads
    for (int count : new int[] {1, Dl4jInference.SINGLE_THREAD_MAX_IMAGES - 1, Dl4jConfig.DEFAULT_MAX_CHUNK_IMAGES + 44}) {
      ImageBatch batch = TinyModels.blobs(count, count);
      float[][] expected = Networks.toRows(asWritten.output(Networks.toArray(batch, format), false), format, count,
          TinyModels.SHAPE.size());
      float[][] actual = trained.reconstruct(batch);
      for (int i = 0; i < count; i++) {
        for (int p = 0; p < TinyModels.SHAPE.size(); p++) {
          assertThat((double) actual[i][p]).isCloseTo(expected[i][p], org.assertj.core.data.Offset.offset(1e-5));
        }
      }
    }
  }

  @Test
  void arraysOfADroppedBatchSizeAndAllAtCloseAreFreedAtOnce() {
    Dl4jBackend.describe();
    ImageShape shape = ImageShape.grey(12, 12);
    MultiLayerNetwork net = new MultiLayerNetwork(Dl4jArchitecture.builder(shape).filters(8, 6).build()
        .toConfiguration(new Adam(), 9, CNN2DFormat.NCHW));
    net.init();
    Dl4jInferencePlan plan = Dl4jInferencePlan.of(net, shape, CNN2DFormat.NCHW).orElseThrow();
    plan.run(SyntheticImages.noise(shape, 1, 1).toFlatArray(), 1);
    org.nd4j.linalg.api.ndarray.INDArray[] first = plan.kept().iterator().next();
    plan.run(SyntheticImages.noise(shape, 2, 1).toFlatArray(), 2);
    plan.run(SyntheticImages.noise(shape, 3, 1).toFlatArray(), 3);
    // two sizes are kept: the arrays of the first were freed when the third came
    assertThat(first).allMatch(org.nd4j.linalg.api.ndarray.INDArray::wasClosed);
    java.util.List<org.nd4j.linalg.api.ndarray.INDArray[]> kept = java.util.List.copyOf(plan.kept());
    assertThat(kept).hasSize(2);
    plan.close();
    assertThat(kept).allMatch(arrays -> java.util.Arrays.stream(arrays).allMatch(a -> a.wasClosed()));
    assertThat(plan.kept()).isEmpty();
  }
}
