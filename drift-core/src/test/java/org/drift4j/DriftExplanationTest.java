package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.Fakes;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;

class DriftExplanationTest {

  private static final ImageShape SHAPE = DriftExplainerTest.SHAPE;

  private static DriftExplanation occluded() {
    return DriftExplanation.of(DriftExplainerTest.MEAN, DriftExplainerTest.MEAN_BASELINE,
        DriftExplainerTest.occluded(SyntheticImages.blobs(SHAPE, 32, 21)), 3);
  }

  @Test
  void oneCallGivesWhatTheExplainerGives() {
    ImageBatch batch = DriftExplainerTest.occluded(SyntheticImages.blobs(SHAPE, 32, 21));
    assertThat(occluded().toJson()).isEqualTo(DriftExplainerTest.EXPLAINER.explain(batch, 3).toJson());
  }

  @Test
  void theJsonHoldsTheScalarsTheRegionsAndEveryMapWithItsShape() throws Exception {
    DriftExplanation why = occluded();
    JsonNode json = new ObjectMapper().readTree(why.toJson());
    assertThat(json.get("format").asText()).isEqualTo(DriftExplanation.FORMAT);
    assertThat(json.get("summary").asText()).isEqualTo(why.summary());
    assertThat(json.get("test").asText()).isEqualTo(DriftExplanation.TEST);
    assertThat(json.get("level").asDouble()).isEqualTo(0.05);
    assertThat(json.get("zThreshold").asDouble()).isEqualTo(why.zThreshold());
    assertThat(json.get("images").asInt()).isEqualTo(32);
    assertThat(json.get("baselineImages").asInt()).isEqualTo(1500);
    assertThat(json.get("meanError").asDouble()).isEqualTo(why.meanError());
    assertThat(json.get("baselineMeanError").asDouble()).isEqualTo(why.baselineMeanError());
    assertThat(json.get("errorMeasure").asText()).isEqualTo("MEAN_SQUARED_ERROR");
    assertThat(json.get("shareUp").asDouble()).isEqualTo(why.shareUp());
    assertThat(json.at("/channels/0/shareUp").asDouble()).isEqualTo(why.shareUp(0));
    assertThat(json.at("/regions/0/direction").asText()).isEqualTo("up");
    assertThat(json.at("/regions/0/top").asInt()).isEqualTo(why.regions().get(0).top());
    assertThat(json.at("/regions/0/channels/0").asInt()).isZero();
    for (String map : new String[] {"zMap", "batchMeanErrors", "baselineMeanErrors", "meanImage"}) {
      assertThat(json.at("/" + map + "/shape").toString()).as(map).isEqualTo("[1,24,24]");
      assertThat(json.at("/" + map + "/values").size()).as(map).isEqualTo(576);
    }
    assertThat((float) json.at("/zMap/values/200").asDouble()).isEqualTo(why.zMap()[200]);
    assertThat(json.get("topImages")).hasSize(3);
    JsonNode first = json.at("/topImages/0");
    assertThat(first.get("index").asLong()).isEqualTo(why.topImages().get(0).index());
    assertThat(first.get("pValue").asDouble()).isEqualTo(why.topImages().get(0).pValue());
    for (String map : new String[] {"input", "reconstruction", "errorMap"}) {
      assertThat(first.at("/" + map + "/values").size()).as(map).isEqualTo(576);
    }
    assertThat(json.get("baselineId").asText()).isEqualTo(DriftExplainerTest.MEAN_BASELINE.id());
    assertThat(json.get("autoencoderFingerprint").asText()).isEqualTo(DriftExplainerTest.MEAN.fingerprint());
  }

  @Test
  void arraysComeOutAsCopies() {
    DriftExplanation why = occluded();
    why.zMap()[0] = 99;
    why.meanImage()[0] = 99;
    why.batchMeanErrors()[0] = 99;
    why.topImages().get(0).input()[0] = 99;
    assertThat(why.zMap()[0]).isNotEqualTo(99f);
    assertThat(why.meanImage()[0]).isNotEqualTo(99f);
    assertThat(why.batchMeanErrors()[0]).isNotEqualTo(99f);
    assertThat(why.topImages().get(0).input()[0]).isNotEqualTo(99f);
    assertThat(why.significantUp()).hasSize(576);
    assertThatThrownBy(() -> why.topImages().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void colourImagesGetOneMapPerChannelAndSharesPerChannel() {
    ImageShape rgb = new ImageShape(3, 12, 12);
    Autoencoder mean = Fakes.meanImage(SyntheticImages.blobs(rgb, 200, 1));
    Baseline baseline = Baseline.compute(mean, SyntheticImages.blobs(rgb, 600, 2), ReconstructionError.MEAN_SQUARED_ERROR);
    float[] pixels = SyntheticImages.blobs(rgb, 40, 3).toFlatArray();
    for (int i = 0; i < 40; i++) {
      for (int p = 0; p < 144; p++) {
        pixels[i * rgb.size() + p] = 1; // the red channel saturates
      }
    }
    DriftExplanation why = DriftExplanation.of(mean, baseline, ImageBatch.ofFlat(rgb, pixels), 2);
    assertThat(why.zMap()).hasSize(3 * 144);
    assertThat(why.shareUp(0)).isGreaterThan(0.5);
    assertThat(why.shareUp(1) + why.shareDown(1)).isLessThan(0.05);
    assertThat(why.shareUp()).isCloseTo((why.shareUp(0) + why.shareUp(1) + why.shareUp(2)) / 3,
        org.assertj.core.data.Offset.offset(1e-12));
    assertThatThrownBy(() -> why.shareUp(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void itsStringSaysTheSizeTheSharesAndTheSummary() {
    DriftExplanation why = occluded();
    assertThat(why.toString()).startsWith("DriftExplanation[32 x 1x24x24, up ").endsWith(why.summary() + "]");
    assertThat(why.topImages().get(0).toString()).startsWith("ExplainedImage[index=");
  }
}
