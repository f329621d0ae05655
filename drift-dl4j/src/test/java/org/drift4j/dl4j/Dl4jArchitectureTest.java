package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

class Dl4jArchitectureTest {

  @Test
  void theReferenceHasTwoLevelsOf32FiltersAndASigmoidOutput() {
    Dl4jArchitecture a = Dl4jArchitecture.reference(ImageShape.grey(28, 28));
    assertThat(a.filters()).containsExactly(32, 32);
    assertThat(a.loss()).isEqualTo(Dl4jArchitecture.Loss.BINARY_CROSS_ENTROPY);
    MultiLayerConfiguration conf = a.toConfiguration(new Adam(), 1, CNN2DFormat.NCHW);
    assertThat(conf.getConfs()).hasSize(10); // 2x(conv,pool) + 2x(conv,up) + conv + loss
    assertThat(conf.getConf(8).getLayer().toString()).contains("sigmoid");
    assertThat(a.latentLayerIndex()).isEqualTo(3);
  }

  @Test
  void sizesNotDivisibleByTwoToTheDepthAreRefusedWithAFix() {
    assertThatThrownBy(() -> Dl4jArchitecture.reference(ImageShape.grey(30, 28)))
        .hasMessage("inputShape height and width must be divisible by 4 (2^depth for 2 pooling levels), but was 30x28;"
            + " crop or pad the images, or use fewer levels");
    assertThat(Dl4jArchitecture.builder(ImageShape.grey(30, 30)).filters(16).build().depth()).isEqualTo(1);
  }

  @Test
  void eachListedSizeGetsItsMeasuredDefault() {
    assertThat(Dl4jArchitecture.defaultFor(new ImageShape(3, 32, 32)).filters()).containsExactly(32, 32);
    assertThat(Dl4jArchitecture.defaultFor(new ImageShape(3, 64, 64)).filters()).containsExactly(32, 32);
    assertThat(Dl4jArchitecture.defaultFor(ImageShape.grey(128, 128)).filters()).containsExactly(32, 32);
    assertThat(Dl4jArchitecture.defaultFor(new ImageShape(3, 128, 128)).filters()).containsExactly(32, 32);
    assertThat(Dl4jArchitecture.DEFAULT_FILTERS_BY_SHAPE).hasSize(5);
  }

  @Test
  void greyTwentyEightByTwentyEightKeepsTheReference() {
    ImageShape mnist = ImageShape.grey(28, 28);
    assertThat(Dl4jArchitecture.defaultFor(mnist)).isEqualTo(Dl4jArchitecture.reference(mnist));
    assertThat(Dl4jArchitecture.defaultFor(mnist).filters()).containsExactly(32, 32);
  }

  /** A table whose entries differ, so that the choice among them shows. */
  private static final java.util.Map<ImageShape, java.util.List<Integer>> TABLE = java.util.Map.of(
      ImageShape.grey(28, 28), java.util.List.of(32, 32),
      ImageShape.grey(128, 128), java.util.List.of(16, 16, 16),
      new ImageShape(3, 32, 32), java.util.List.of(8, 8),
      new ImageShape(3, 64, 64), java.util.List.of(8, 16, 32),
      new ImageShape(3, 128, 128), java.util.List.of(4, 4, 4, 4));

  @Test
  void anUnlistedSizeTakesTheNearestListedOneOfItsChannels() {
    // 96 is nearer 128 than 64 on a log scale (and 96 / 16 = 6 keeps four levels)
    assertThat(Dl4jArchitecture.defaultFilters(new ImageShape(3, 96, 96), TABLE)).containsExactly(4, 4, 4, 4);
    assertThat(Dl4jArchitecture.defaultFilters(new ImageShape(3, 40, 40), TABLE)).containsExactly(8, 8);
    assertThat(Dl4jArchitecture.defaultFilters(new ImageShape(3, 48, 48), TABLE)).containsExactly(8, 16, 32);
    assertThat(Dl4jArchitecture.defaultFilters(ImageShape.grey(36, 36), TABLE)).containsExactly(32, 32);
    assertThat(Dl4jArchitecture.defaultFilters(ImageShape.grey(256, 256), TABLE)).containsExactly(16, 16, 16);
    // four channels are treated as colour
    assertThat(Dl4jArchitecture.defaultFilters(new ImageShape(4, 64, 64), TABLE)).containsExactly(8, 16, 32);
    // the shipped table: 3x96x96 takes 3x128x128's default
    assertThat(Dl4jArchitecture.defaultFilters(new ImageShape(3, 96, 96)))
        .containsExactly(Dl4jArchitecture.defaultFilters(new ImageShape(3, 128, 128)));
  }

  @Test
  void anUnlistedSizeLosesInnerLevelsUntilItsSidesDivide() {
    // 60 = 4 x 15: 3x64x64's three levels lose the innermost
    assertThat(Dl4jArchitecture.defaultFilters(new ImageShape(3, 60, 60), TABLE)).containsExactly(8, 16);
    // 120 = 8 x 15: 3x128x128's four levels keep three
    assertThat(Dl4jArchitecture.defaultFilters(new ImageShape(3, 120, 120), TABLE)).containsExactly(4, 4, 4);
  }

  @Test
  void aTieOnTheLogScaleGoesToTheSmallerSize() {
    // sqrt(32 * 64) = 45.25 is as near 32 as 64 on a log scale
    assertThat(Dl4jArchitecture.defaultFilters(new ImageShape(3, 32, 64), TABLE)).containsExactly(8, 8);
  }

  @Test
  void aSizeThatTwoLevelsDoNotDivideHasNoDefault() {
    assertThatThrownBy(() -> Dl4jArchitecture.defaultFor(ImageShape.grey(30, 30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputShape height and width must be divisible by 4 for the default architecture (at least 2"
            + " pooling levels), but was 30x30; crop or pad the images, or choose filters (Builder.filters)");
  }

  @Test
  void badFiltersAreRefused() {
    var b = Dl4jArchitecture.builder(ImageShape.grey(28, 28));
    assertThatThrownBy(() -> b.filters()).hasMessage("filters must hold at least 1 level, but was empty");
    assertThatThrownBy(() -> b.filters(32, 0)).hasMessage("filters[1] must be at least 1, but was 0");
  }

  @Test
  void colourImagesGetAColourOutput() {
    MultiLayerConfiguration conf = Dl4jArchitecture.reference(new ImageShape(3, 32, 32)).toConfiguration(new Adam(), 1, CNN2DFormat.NCHW);
    assertThat(((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) conf.getConf(8).getLayer()).getNOut()).isEqualTo(3);
  }

  @Test
  void theNhwcNetworkComputesTheSameFunctionAsTheNchwOne() {
    Dl4jBackend.describe();
    Dl4jArchitecture a = Dl4jArchitecture.reference(ImageShape.grey(28, 28));
    org.deeplearning4j.nn.multilayer.MultiLayerNetwork nchw =
        new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(a.toConfiguration(new Adam(), 1, CNN2DFormat.NCHW));
    nchw.init();
    org.deeplearning4j.nn.multilayer.MultiLayerNetwork nhwc =
        new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(a.toConfiguration(new Adam(), 2, CNN2DFormat.NHWC));
    nhwc.init();
    nhwc.setParams(nchw.params().dup());
    org.nd4j.linalg.api.ndarray.INDArray x =
        org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 1, 28, 28);
    org.nd4j.linalg.api.ndarray.INDArray a1 = nchw.output(x, false).reshape('c', 5, 28, 28, 1);
    org.nd4j.linalg.api.ndarray.INDArray a2 = nhwc.output(x.reshape('c', 5, 28, 28, 1), false);
    assertThat(org.nd4j.linalg.ops.transforms.Transforms.abs(a1.sub(a2)).maxNumber().doubleValue()).isLessThan(1e-6);
  }
}
