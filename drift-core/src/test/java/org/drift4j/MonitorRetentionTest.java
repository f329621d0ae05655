package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.locks.ReentrantLock;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;

class MonitorRetentionTest {

  private static final ImageShape SHAPE = DriftExplainerTest.SHAPE;
  private static final ReentrantLock LOCK = new ReentrantLock();

  private static MonitorRetention ring(int capacity) {
    return MonitorRetention.of(capacity, DriftExplainerTest.MEAN, DriftExplainerTest.MEAN_BASELINE);
  }

  private static DriftExplanation explain(MonitorRetention ring, long from, int top) {
    return ring.explain(from, top, LOCK, ImagePreprocessing.none());
  }

  @Test
  void theRingKeepsTheLastImagesWithTheirStreamIndicesAcrossItsEnd() {
    MonitorRetention ring = ring(10);
    ImageBatch images = SyntheticImages.blobs(SHAPE, 27, 1);
    long first = 0;
    for (int size : new int[] {4, 7, 3, 13}) {
      ring.add(images.slice((int) first, (int) first + size), first);
      first += size;
    }
    DriftExplanation all = explain(ring, Long.MIN_VALUE, 10);
    assertThat(all.size()).isEqualTo(10);
    assertThat(all.topImages()).extracting(ExplainedImage::index).containsExactlyInAnyOrder(17L, 18L, 19L, 20L, 21L,
        22L, 23L, 24L, 25L, 26L);
    for (ExplainedImage image : all.topImages()) {
      assertThat(image.input()).as("image %d", image.index()).containsExactly(images.image((int) image.index()));
    }
    assertThat(explain(ring, 24, 3).size()).isEqualTo(3);
    assertThat(LOCK.isHeldByCurrentThread()).isFalse();
  }

  @Test
  void aBatchLargerThanTheRingLeavesItsLastImages() {
    MonitorRetention ring = ring(5);
    ImageBatch images = SyntheticImages.blobs(SHAPE, 12, 2);
    ring.add(images, 100);
    assertThat(explain(ring, 0, 5).topImages()).extracting(ExplainedImage::index)
        .containsExactlyInAnyOrder(107L, 108L, 109L, 110L, 111L);
  }

  @Test
  void nothingRecentEnoughIsRefusedWithWhatIsKept() {
    MonitorRetention ring = ring(5);
    assertThatThrownBy(() -> explain(ring, 0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the monitor retains no image from stream image 0 on (it keeps the last 5 images it scored, 0 now)");
    ring.add(SyntheticImages.blobs(SHAPE, 8, 3), 0);
    assertThatThrownBy(() -> explain(ring, 9, 1))
        .hasMessage("the monitor retains no image from stream image 9 on (it keeps the last 5 images it scored, 5 now,"
            + " the oldest being stream image 3)");
    ring.clear();
    assertThatThrownBy(() -> explain(ring, 0, 1)).hasMessageContaining(", 0 now)");
    assertThat(MonitorRetention.of(0, DriftExplainerTest.MEAN, DriftExplainerTest.MEAN_BASELINE)).isNull();
  }

  @Test
  void aRingTooLargeForOneArrayIsRefusedWithTheNumbers() {
    ImageShape huge = new ImageShape(3, 1024, 1024);
    assertThatThrownBy(() -> new MonitorRetention(DriftExplainerTest.EXPLAINER, huge, 1_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retainedImages 1000 of shape 3x1024x1024 would hold 3145728000 pixel values");
  }
}
