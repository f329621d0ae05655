package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DriftReportTest {

  private static final Baseline BASELINE = Baseline.of(new double[] {0.1, 0.2, 0.3}, ReconstructionError.MEAN_SQUARED_ERROR,
      ImageShape.grey(1, 1), "fp", Instant.EPOCH);

  private static DriftReport report(PolicyDecision decision) {
    return new DriftReport(decision, "policy", new double[] {0.2, 0.6}, new double[] {0.75, 0.25},
        new boolean[] {false, true}, 0.99, 0.3, BASELINE, Instant.parse("2026-11-30T00:00:00Z"), Duration.ofMillis(3));
  }

  @Test
  void serialisesEveryFieldToJson() throws Exception {
    DriftReport r = report(new PolicyDecision(true, 4.2, 0.001, 0.01, "why"));
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.get("drift").asBoolean()).isTrue();
    assertThat(json.get("pValue").asDouble()).isEqualTo(0.001);
    assertThat(json.get("statistic").asDouble()).isEqualTo(4.2);
    assertThat(json.get("size").asInt()).isEqualTo(2);
    assertThat(json.get("meanError").asDouble()).isEqualTo(0.4);
    assertThat(json.get("baselineMeanError").asDouble()).isEqualTo(BASELINE.mean());
    assertThat(json.get("relativeIncrease").asDouble()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(json.get("outliers").asInt()).isEqualTo(1);
    assertThat(json.get("outlierFlags").get(1).asBoolean()).isTrue();
    assertThat(json.get("baselineId").asText()).isEqualTo(BASELINE.id());
    assertThat(json.get("autoencoderFingerprint").asText()).isEqualTo("fp");
    assertThat(json.get("timestamp").asText()).isEqualTo("2026-11-30T00:00:00Z");
    assertThat(json.get("durationMillis").asDouble()).isEqualTo(3.0);
  }

  @Test
  void aMissingPValueIsWrittenAsNull() throws Exception {
    DriftReport r = report(new PolicyDecision(false, 0.05, Double.NaN, 0.1, "rule"));
    assertThat(new ObjectMapper().readTree(r.toJson()).get("pValue").isNull()).isTrue();
  }

  @Test
  void arraysAreDefensiveCopies() {
    DriftReport r = report(new PolicyDecision(false, 0, 0.5, 0.01, "x"));
    r.errors()[0] = 99;
    r.outliers()[0] = true;
    assertThat(r.errors()[0]).isEqualTo(0.2);
    assertThat(r.outliers()[0]).isFalse();
  }
}
