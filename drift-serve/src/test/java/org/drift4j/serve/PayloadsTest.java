package org.drift4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.drift4j.ImageBatch;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  private static final ImageShape SHAPE = TestServers.SHAPE;
  private final Payloads payloads = payloads(ImagePreprocessing.none());

  private static Payloads payloads(ImagePreprocessing preprocessing) {
    return new Payloads(SHAPE, preprocessing, new ImageDecoding(SHAPE, preprocessing, 1 << 20), 4);
  }

  private Payloads.Parsed read(String json) throws RequestException {
    return payloads.read(json.getBytes(StandardCharsets.UTF_8), null);
  }

  private static String input(String shape, String datatype, String data) {
    return "{\"inputs\": [{\"name\": \"x\", \"shape\": " + shape + ", \"datatype\": \"" + datatype + "\", \"data\": "
        + data + "}]}";
  }

  private static String zeros(int n) {
    return "[" + "0,".repeat(n - 1) + "0]";
  }

  @Test
  void theRecordedFixturesReadAsTheirImages() throws Exception {
    Payloads.Parsed fp32 = payloads.read(TestServers.body(TestServers.fixture("02-v2-infer-request-fp32.json")), null);
    assertThat(fp32.id()).isEqualTo("d3b15cad-50a2-4eaf-80ce-8b0a428bd298");
    assertThat(fp32.inputName()).isEqualTo("input-0");
    assertThat(fp32.batch().size()).isEqualTo(1);
    assertThat(fp32.batch().pixel(0, 5)).isEqualTo(1f);
    ImageBatch uint8 = payloads.read(TestServers.body(TestServers.fixture("03-v2-infer-request-uint8.json")), null)
        .batch();
    assertThat(uint8.size()).isEqualTo(2);
    assertThat(uint8.image(1)).containsExactly(fp32.batch().image(0));
    ImageBatch v1 = payloads.read(TestServers.body(TestServers.fixture("01-v1-predict-request.json")), null).batch();
    assertThat(v1.size()).isEqualTo(2);
    assertThat(v1.image(0)).containsExactly(fp32.batch().image(0));
    ImageBatch b64 = payloads.read(TestServers.body(TestServers.fixture("01b-v1-predict-request-b64.json")), null)
        .batch();
    assertThat(b64.size()).isEqualTo(1);
  }

  @Test
  void raggedNestedDataIsRefusedSayingWhere() {
    assertThatThrownBy(() -> read(input("[1, 4, 4]", "FP32", "[[[0,0,0,0],[0,0,0,0],[0,0,0],[0,0,0,0]]]")))
        .isInstanceOf(RequestException.class)
        .hasMessage("inputs[0].data is ragged: arrays at depth 2 hold 4 and 3 elements");
    assertThatThrownBy(() -> read(input("[1, 16]", "FP32", "[[0,0,0,0,0,0,0,0], 0,0,0,0,0,0,0,0]")))
        .isInstanceOf(RequestException.class).hasMessageContaining("is ragged");
  }

  @Test
  void dataThatDisagreesWithItsDeclaredShapeIsRefusedWithBoth() {
    assertThatThrownBy(() -> read(input("[1, 16]", "UINT8", zeros(15))))
        .isInstanceOf(RequestException.class)
        .hasMessage("input 'x' declares shape [1, 16] (16 values), but its data holds 15");
    assertThatThrownBy(() -> read(input("[1, 4, 4]", "UINT8", "[[" + zeros(16) + "]]")))
        .isInstanceOf(RequestException.class)
        .hasMessage("input 'x' declares shape [1, 4, 4], but its nested data has shape [1, 1, 16]");
  }

  @Test
  void unsupportedDatatypesAndMissingFieldsAreNamed() {
    assertThatThrownBy(() -> read(input("[1, 16]", "INT64", zeros(16))))
        .isInstanceOf(RequestException.class).hasMessageStartingWith("input 'x' has datatype INT64, but images are read");
    assertThatThrownBy(() -> read("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [0]}]}"))
        .isInstanceOf(RequestException.class).hasMessageEndingWith("but lacks \"shape\"");
    assertThatThrownBy(() -> read("{\"id\": \"1\"}"))
        .isInstanceOf(RequestException.class).hasMessageContaining("but held neither");
    assertThatThrownBy(() -> read("[1, 2]"))
        .isInstanceOf(RequestException.class).hasMessageContaining("must be a JSON object");
  }

  @Test
  void uint8PixelsMustBeIntegersInRange() {
    assertThatThrownBy(() -> read(input("[1, 16]", "UINT8", "[" + "0,".repeat(15) + "256]")))
        .isInstanceOf(RequestException.class)
        .hasMessage("input 'x' value 15 (image 0) must be an integer in 0-255 (UINT8), but was 256.0");
    assertThatThrownBy(() -> read(input("[1, 16]", "UINT8", "[" + "0,".repeat(15) + "0.5]")))
        .isInstanceOf(RequestException.class).hasMessageContaining("but was 0.5");
  }

  @Test
  void moreImagesThanTheLimitAreRefusedBeforeTheyAreAllRead() {
    assertThatThrownBy(() -> read(input("[5, 16]", "UINT8", zeros(5 * 16))))
        .isInstanceOf(RequestException.class)
        .hasMessage("the request holds more than 4 images of 1x4x4: at most 4 images are accepted per request")
        .satisfies(e -> assertThat(((RequestException) e).reason()).isEqualTo(Reason.TOO_MANY_IMAGES));
  }

  @Test
  void aTruncatedBodyIsMalformed() {
    assertThatThrownBy(() -> read(input("[1, 16]", "UINT8", zeros(16)).substring(0, 60)))
        .isInstanceOf(RequestException.class)
        .satisfies(e -> assertThat(((RequestException) e).reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void tensorsAreRefusedWhenTheBaselinesImagesWereResized() {
    Payloads resized = payloads(ImagePreprocessing.resize(ImagePreprocessing.Interpolation.BILINEAR));
    assertThatThrownBy(() -> resized.read(input("[1, 16]", "UINT8", zeros(16)).getBytes(StandardCharsets.UTF_8), null))
        .isInstanceOf(RequestException.class)
        .hasMessageStartingWith("the baseline's images were made with preprocessing resize:bilinear, which a tensor"
            + " cannot claim");
  }

  @Test
  void bytesTensorsHoldBase64Images() throws Exception {
    String png = java.util.Base64.getEncoder().encodeToString(TestServers.png(4, 4, 255));
    Payloads.Parsed parsed = read(input("[2]", "BYTES", "[\"" + png + "\", \"" + png + "\"]"));
    assertThat(parsed.batch().size()).isEqualTo(2);
    assertThat(parsed.batch().pixel(1, 0)).isEqualTo(1f);
  }
}
