package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.api.Layer;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The training plan computes DL4J's gradients and steps: checked against DL4J's own on seeded batches. */
class Dl4jTrainingPlanTest {

  /** Relative agreement with DL4J asked of every parameter's gradient (its largest difference over its largest value). */
  static final double RELATIVE_TOLERANCE = 1e-4;

  private static final ImageShape[] SHAPES = {ImageShape.grey(12, 12), new ImageShape(3, 8, 12), new ImageShape(3, 16, 16)};

  @ParameterizedTest
  @EnumSource(CNN2DFormat.class)
  void theGradientIsDl4jsWithinOneInTenThousandForEveryParameterInBothLayoutsGreyAndColourForBothLosses(
      CNN2DFormat planFormat) {
    Dl4jBackend.describe();
    for (ImageShape shape : SHAPES) {
      for (Dl4jArchitecture.Loss loss : Dl4jArchitecture.Loss.values()) {
        // one lane, and three lanes of 8 images each
        for (int lanes : new int[] {1, 3}) {
          MultiLayerNetwork net = network(shape, loss, new Adam(1e-3), 5);
          ImageBatch inputs = SyntheticImages.noise(shape, 24, 3);
          ImageBatch targets = SyntheticImages.blobs(shape, 24, 4);
          try (Dl4jTrainingPlan plan = Dl4jTrainingPlan.of(net, shape, planFormat, lanes).orElseThrow()) {
            assertThat(plan.usesSubPixelTail()).isTrue();
            double score = plan.computeGradient(inputs.toFlatArray(), targets.toFlatArray(), 24);
            Gradients expected = dl4jGradients(net, inputs, targets);
            String what = shape + " " + loss + " in " + planFormat + " on " + lanes + " lanes";
            assertThat(score).as("score, %s", what)
                .isCloseTo(expected.score(), org.assertj.core.data.Offset.offset(1e-5 * expected.score()));
            assertAgree(net, plan.gradient(), expected.mean(), what);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(CNN2DFormat.class)
  void aNetworkWithoutTheSubPixelTailGetsDl4jsGradientToo(CNN2DFormat planFormat) {
    Dl4jBackend.describe();
    ImageShape shape = new ImageShape(3, 8, 8);
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam())
        .convolutionMode(ConvolutionMode.Same).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
        .layer(new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(
            org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new org.deeplearning4j.nn.conf.layers.Upsampling2D.Builder(2).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.IDENTITY).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.SIGMOID).build())
        .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(8, 8, 3)).build());
    net.init();
    ImageBatch inputs = SyntheticImages.noise(shape, 16, 3);
    try (Dl4jTrainingPlan plan = Dl4jTrainingPlan.of(net, shape, planFormat, 2).orElseThrow()) {
      assertThat(plan.usesSubPixelTail()).isFalse();
      double score = plan.computeGradient(inputs.toFlatArray(), inputs.toFlatArray(), 16);
      Gradients expected = dl4jGradients(net, inputs, inputs);
      assertThat(score).isCloseTo(expected.score(), org.assertj.core.data.Offset.offset(1e-5 * expected.score()));
      assertAgree(net, plan.gradient(), expected.mean(), "no sub-pixel tail, " + planFormat);
    }
  }

  @Test
  void stepsMoveTheParametersAsDl4jsFitDoesWithAdamAndAdadelta() {
    Dl4jBackend.describe();
    ImageShape shape = new ImageShape(3, 8, 8);
    for (IUpdater updater : new IUpdater[] {new Adam(1e-3), new AdaDelta()}) {
      MultiLayerNetwork reference = network(shape, Dl4jArchitecture.Loss.BINARY_CROSS_ENTROPY, updater, 11);
      MultiLayerNetwork planned = reference.clone();
      Dl4jTrainingPlan plan = Dl4jTrainingPlan.of(planned, shape, CNN2DFormat.NHWC, 2).orElseThrow();
      for (int step = 0; step < 4; step++) {
        // the remainder of an epoch comes in a smaller batch (one lane): the plan's kept arrays change size
        int count = step == 3 ? 3 : 16;
        ImageBatch batch = SyntheticImages.blobs(shape, count, 20 + step);
        reference.fit(new DataSet(Networks.toArray(batch, CNN2DFormat.NCHW), Networks.toArray(batch, CNN2DFormat.NCHW)));
        double score = plan.fit(batch.toFlatArray(), batch.toFlatArray(), count, step, 0);
        assertThat(score).as("%s step %d", updater, step)
            .isCloseTo(reference.score(), org.assertj.core.data.Offset.offset(1e-5 * reference.score()));
      }
      plan.close();
      double worst = Networks.maxDifference(new float[][] {planned.params().toFloatVector()},
          new float[][] {reference.params().toFloatVector()});
      assertThat(worst).as("%s: parameters after four steps", updater).isLessThan(1e-5);
    }
  }

  @Test
  void networksWithOtherLayersOptimisersOrRegularisationHaveNoPlan() {
    Dl4jBackend.describe();
    ImageShape shape = ImageShape.grey(8, 8);
    MultiLayerNetwork batchNorm = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(new Adam()).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
        .layer(new BatchNormalization.Builder().build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(1).convolutionMode(ConvolutionMode.Same).activation(Activation.SIGMOID).build())
        .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(8, 8, 1)).build());
    batchNorm.init();
    assertThat(Dl4jTrainingPlan.of(batchNorm, shape, CNN2DFormat.NCHW, 1)).as("batch normalisation").isEmpty();
    assertThat(Dl4jTrainingPlan.of(network(shape, Dl4jArchitecture.Loss.BINARY_CROSS_ENTROPY, new Nesterovs(), 1),
        shape, CNN2DFormat.NCHW, 1)).as("Nesterov momentum").isEmpty();
    MultiLayerNetwork l2 = new MultiLayerNetwork(Dl4jArchitecture.builder(shape).filters(4).build()
        .toConfiguration(new Adam(), 1, CNN2DFormat.NCHW));
    l2.getLayerWiseConfigurations().getConf(0).getLayer();
    ((org.deeplearning4j.nn.conf.layers.BaseLayer) l2.getLayerWiseConfigurations().getConf(0).getLayer())
        .setRegularization(java.util.List.of(new org.nd4j.linalg.learning.regularization.L2Regularization(1e-4)));
    l2.init();
    assertThat(Dl4jTrainingPlan.of(l2, shape, CNN2DFormat.NCHW, 1)).as("L2 regularisation").isEmpty();
  }

  static MultiLayerNetwork network(ImageShape shape, Dl4jArchitecture.Loss loss, IUpdater updater, long seed) {
    MultiLayerNetwork net = new MultiLayerNetwork(Dl4jArchitecture.builder(shape).filters(8, 6).loss(loss).build()
        .toConfiguration(updater, seed, CNN2DFormat.NCHW));
    net.init();
    OneDnnHelpers.install(net);
    return net;
  }

  /** DL4J's score and its gradient of the mean loss (DL4J's updater divides the summed gradient by the batch size). */
  record Gradients(double score, INDArray mean) {}

  static Gradients dl4jGradients(MultiLayerNetwork net, ImageBatch inputs, ImageBatch targets) {
    net.setInput(Networks.toArray(inputs, CNN2DFormat.NCHW));
    net.setLabels(Networks.toArray(targets, CNN2DFormat.NCHW));
    net.computeGradientAndScore();
    INDArray mean = net.gradient().gradient().dup().reshape(-1).divi(inputs.size());
    double score = net.score();
    net.clear();
    return new Gradients(score, mean);
  }

  /**
   * Each parameter tensor (bias, then weights, as DL4J lays them out) of each convolution agrees
   * within {@link #RELATIVE_TOLERANCE} of its own largest value.
   */
  static void assertAgree(MultiLayerNetwork net, INDArray actual, INDArray expected, String what) {
    float[] a = actual.reshape(-1).toFloatVector();
    float[] e = expected.reshape(-1).toFloatVector();
    assertThat(a).hasSameSizeAs(e);
    int offset = 0;
    Layer[] layers = net.getLayers();
    for (int i = 0; i < layers.length; i++) {
      if (!(layers[i].conf().getLayer() instanceof ConvolutionLayer conv)) {
        continue;
      }
      int nOut = (int) conv.getNOut();
      int n = (int) layers[i].numParams();
      assertRelative(a, e, offset, offset + nOut, what + " layer " + i + " b");
      assertRelative(a, e, offset + nOut, offset + n, what + " layer " + i + " W");
      offset += n;
    }
    assertThat(offset).isEqualTo(e.length);
  }

  private static void assertRelative(float[] a, float[] e, int from, int to, String what) {
    double scale = 0;
    double worst = 0;
    for (int k = from; k < to; k++) {
      scale = Math.max(scale, Math.abs(e[k]));
      worst = Math.max(worst, Math.abs(a[k] - e[k]));
    }
    assertThat(scale).as("%s has a gradient", what).isPositive();
    assertThat(worst / scale).as("%s: largest difference over largest value", what).isLessThanOrEqualTo(RELATIVE_TOLERANCE);
  }
}
