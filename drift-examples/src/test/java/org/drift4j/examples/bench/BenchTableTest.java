package org.drift4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchTableTest {

  @Test
  void theTableShowsRatiosAndTargets() throws Exception {
    String json = "{\"date\":\"2026-11-30T00:00:00Z\",\"machine\":\"test cpu\",\"backend\":\"nd4j\","
        + "\"dl4jInferenceImagesPerSecond\":{\"32\":4000.0},\"dl4jTrainingImagesPerSecond\":1500.0,"
        + "\"checkLatencyMillis\":{\"32\":{\"p50\":8.0,\"p99\":12.5}},\"policyMillisP50\":0.2,\"policyMillisP99\":0.4,"
        + "\"memory\":{\"images\":10000,\"peakHeapBytes\":200000000,\"peakRssBytes\":900000000,\"seconds\":3.0},"
        + "\"pytorch\":{\"version\":\"1.13\",\"inferenceImagesPerSecond\":{\"32\":2000.0},\"trainingImagesPerSecond\":3000.0}}";
    String table = BenchTable.of(new ObjectMapper().readTree(json));
    assertThat(table).contains("| inference, batch 32 (images/s) | 4000 | 2000 | 2.00× | ≥ 1.0× |")
        .contains("| training, one epoch, batch 128, Adam (images/s) | 1500 | 3000 | 0.50× | ≥ 0.5× |")
        .contains("| `check()` latency, batch 32, p50 / p99 (ms) | 8.00 / 12.50 |")
        .contains("0.200 / 0.400 | | | < 1 ms |")
        .contains("| 200 / 900 (3.0 s) |");
  }

  @Test
  void aMissingPyTorchIsSaidNotHidden() throws Exception {
    String json = "{\"dl4jInferenceImagesPerSecond\":{\"1\":500.0},\"dl4jTrainingImagesPerSecond\":1.0,"
        + "\"pytorch\":{\"error\":\"could not run python\"},\"memory\":{\"error\":\"boom\"}}";
    String table = BenchTable.of(new ObjectMapper().readTree(json));
    assertThat(table).contains("| 500 | n/a | n/a |").contains("PyTorch figures unavailable: could not run python")
        .contains("failed: boom");
  }

  @Test
  void theOnnxOverheadRowShowsTheMedianAndItsRange() throws Exception {
    String json = "{\"onnxCheckLatencyMillis\":{\"32\":{\"p50\":1.5,\"p99\":3.0,\"engineP50\":1.4,\"overhead\":0.051,"
        + "\"overheadMin\":0.032,\"overheadMax\":0.089}},\"onnxCheckOverheadMse\":{\"32\":-0.004},"
        + "\"onnxErrorPath\":\"Java Vector API\",\"onnxCheckOverheadErrorHead\":{\"32\":0.112},\"memory\":{}}";
    String table = BenchTable.of(new ObjectMapper().readTree(json));
    assertThat(table).contains("overhead beyond the engine's 1.40 ms")
        .contains("(BCE via the Java Vector API, and its range over fifths of the pairs; MSE; BCE via the ONNX error head)")
        .contains("| 1.50 / 3.00; +5% (+3…+9%); -0%; +11% | | | overhead < 10% |");
  }

  @Test
  void theMonitorRowShowsTheObserveOverheadPerEngineAndTheCriticalSection() throws Exception {
    String json = "{\"monitor\":{\"observeOverhead\":{\"ONNX\":{\"1\":{\"overhead\":0.021,\"overheadMin\":0.01,"
        + "\"overheadMax\":0.03},\"32\":{\"overhead\":0.004,\"overheadMin\":-0.002,\"overheadMax\":0.011}},"
        + "\"DL4J\":{\"1\":{\"overhead\":0.001,\"overheadMin\":0.0,\"overheadMax\":0.002}}},"
        + "\"observeErrorsMicros\":{\"1\":{\"p50\":0.61,\"contendedP50\":0.95}}},\"memory\":{}}";
    String table = BenchTable.of(new ObjectMapper().readTree(json));
    assertThat(table).contains("| `DriftMonitor.observe()` overhead beyond the engine's `errors()`")
        .contains("| ONNX 1: +2.1% (+1.0…+3.0%) 32: +0.4% (-0.2…+1.1%); DL4J 1: +0.1% (+0.0…+0.2%);"
            + " observeErrors(1): 0.61 / 0.95 µs | | | overhead < 10% |");
  }
}
