package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OnnxBatchSlicerTest {

  @Test
  void aBatchIsCutIntoAtMostOneSlicePerThreadOfAtLeastTheMinimumValues() {
    OnnxBatchSlicer slicer = new OnnxBatchSlicer(3, 256, 784, 28 * 28);
    assertThat(slicer.slices(1)).isEqualTo(1);
    assertThat(slicer.slices(2)).isEqualTo(2);
    assertThat(slicer.slices(3)).isEqualTo(3);
    assertThat(slicer.slices(256)).isEqualTo(3);
    // a quarter of a 28x28 image each: four images make one slice's worth
    OnnxBatchSlicer small = new OnnxBatchSlicer(3, 256, 784, 14 * 14);
    assertThat(small.slices(3)).isEqualTo(1);
    assertThat(small.slices(8)).isEqualTo(2);
    assertThat(new OnnxBatchSlicer(1, 256, 784, 28 * 28).slices(256)).isEqualTo(1);
    slicer.close();
    small.close();
  }

  @Test
  void oneThreadNeedsNoHelpersAndClosingTwiceIsHarmless() {
    OnnxBatchSlicer single = new OnnxBatchSlicer(1, 256, 784, 784);
    assertThat(single.helpers()).isNull();
    single.close();
    single.close();
    OnnxBatchSlicer two = new OnnxBatchSlicer(2, 256, 784, 784);
    two.close();
    two.close();
    assertThat(two.helpers().isShutdown()).isTrue();
  }
}
