package org.drift4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SizeBenchTableTest {

  private static final String SCORE = "\"score\":{\"onnx\":{\"reconstructImagesPerSecondBatch32\":3000.0,\"checked\":10000,"
      + "\"checkSeconds\":4.5,\"peakHeapBytes\":100000000,\"peakRssDuringCheckBytes\":600000000},"
      + "\"dl4j\":{\"reconstructImagesPerSecondBatch32\":1500.0,\"checked\":10000,\"checkSeconds\":6.0,"
      + "\"peakHeapBytes\":120000000,\"peakRssDuringCheckBytes\":800000000}}";

  @Test
  void eachSizeShowsItsRatiosToPyTorchAndItsMemory() throws Exception {
    String json = "{\"settings\":{\"trainingImages\":512,\"trainingBatch\":32,\"memoryImages\":10000,\"seconds\":3.0,"
        + "\"scoringHeap\":\"-Xmx512m\"},\"sizes\":[{\"shape\":\"3x64x64\",\"train\":{\"imagesPerSecond\":240.0},"
        + SCORE + ",\"pytorch\":{\"trainingImagesPerSecond\":60.0,\"inferenceImagesPerSecond\":{\"32\":1000.0}}}]}";
    assertThat(SizeBenchTable.of(new ObjectMapper().readTree(json)))
        .contains("Training: 512 synthetic images, batch 32")
        .contains("| 3x64x64 | 240.0 / 60.0 (4.00×) | 3000.0 / 1000.0 (3.00×) | 1500.0 / 1000.0 (1.50×)"
            + " | 10,000 images: 4.5; 100 / 600 | 10,000 images: 6.0; 120 / 800 |");
  }

  @Test
  void aSkippedPyTorchAndAFailedChildAreSaidNotHidden() throws Exception {
    String json = "{\"pytorchSkipped\":\"could not run python\",\"sizes\":[{\"shape\":\"1x16x16\",\"train\":"
        + "{\"imagesPerSecond\":100.0}," + SCORE + ",\"pytorch\":{\"error\":\"skipped\"}},{\"shape\":\"3x16x16\","
        + "\"train\":{\"error\":\"boom\"},\"score\":{\"error\":\"not run\"},\"pytorch\":{\"error\":\"skipped\"}}]}";
    String table = SizeBenchTable.of(new ObjectMapper().readTree(json));
    assertThat(table).contains("| 1x16x16 | 100.0 / n/a | 3000.0 / n/a | 1500.0 / n/a |")
        .contains("| 3x16x16 | failed | failed | failed | failed | failed |")
        .contains("PyTorch figures unavailable: could not run python");
  }

  @Test
  void repeatedTrainingShowsTheMediansTheirRangesAndTheirRatio() throws Exception {
    String json = "{\"settings\":{\"trainingImages\":2048,\"trainingBatch\":32,\"trainingRepeats\":3},\"sizes\":[{"
        + "\"shape\":\"3x32x32\",\"train\":{\"imagesPerSecond\":1200.0}," + SCORE + ",\"pytorch\":{"
        + "\"trainingImagesPerSecond\":500.0,\"inferenceImagesPerSecond\":{\"32\":1000.0}},\"training\":{"
        + "\"dl4j\":[1200.0,1100.0,1300.0],\"pytorch\":[500.0,2000.0,1000.0],\"dl4jMedian\":1200.0,"
        + "\"pytorchMedian\":1000.0,\"ratioOfMedians\":1.2}}]}";
    assertThat(SizeBenchTable.of(new ObjectMapper().readTree(json)))
        .contains("the median of 3 fresh processes per engine")
        .contains("| 3x32x32 | 1200.0 [1100–1300] / 1000.0 [500–2000] (1.20×) | 3000.0 / 1000.0 (3.00×) |");
  }
}
