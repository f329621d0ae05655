package org.drift4j.onnx.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The wire format, checked against bytes worked out by hand from the protobuf encoding rules. */
class ProtobufTest {

  @Test
  void varintsTakeSevenBitsPerByteWithTheHighBitAsContinuation() {
    assertThat(new Protobuf().int64(1, 150).toByteArray()).containsExactly(0x08, 0x96, 0x01);
    assertThat(new Protobuf().int64(1, 0).toByteArray()).containsExactly(0x08, 0x00);
  }

  @Test
  void negativeVarintsTakeTenBytesAsProto3WritesThem() {
    byte[] bytes = new Protobuf().int64(1, -1).toByteArray();
    assertThat(bytes).hasSize(11);
    assertThat(bytes[10]).isEqualTo((byte) 0x01);
  }

  @Test
  void stringsAreLengthDelimitedUtf8() {
    assertThat(new Protobuf().string(2, "testing").toByteArray())
        .containsExactly(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g');
  }

  @Test
  void floatsAreFixedLittleEndian() {
    assertThat(new Protobuf().float32(1, 1.0f).toByteArray()).containsExactly(0x0D, 0x00, 0x00, 0x80, 0x3F);
  }

  @Test
  void packedInt64sShareOneLengthPrefix() {
    assertThat(new Protobuf().packedInt64(4, 3, 270, 86942).toByteArray())
        .containsExactly(0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05);
  }

  @Test
  void embeddedMessagesAreTheirBytesLengthDelimited() {
    Protobuf inner = new Protobuf().int64(1, 150);
    assertThat(new Protobuf().message(3, inner).toByteArray()).containsExactly(0x1A, 0x03, 0x08, 0x96, 0x01);
  }

  @Test
  void anIntsAttributeCarriesItsNameValuesAndType() {
    byte[] attribute = OnnxProto.ints("pads", 1, 1).toByteArray();
    // name (field 1), packed ints (field 8), type INTS = 7 (field 20)
    assertThat(attribute).containsExactly(0x0A, 0x04, 'p', 'a', 'd', 's', 0x42, 0x02, 0x01, 0x01, 0xA0, 0x01, 0x07);
  }
}
