package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.drift4j.onnx.proto.OnnxProto.floatTensor;
import static org.drift4j.onnx.proto.OnnxProto.floatValue;
import static org.drift4j.onnx.proto.OnnxProto.ints;
import static org.drift4j.onnx.proto.OnnxProto.node;

import java.util.List;
import org.drift4j.onnx.proto.OnnxProto;
import org.drift4j.onnx.proto.Protobuf;
import org.junit.jupiter.api.Test;

class OnnxGraphCheckTest {

  /** A 3x3 convolution of one 28x28 channel with the given strides and padding that keeps the size at stride 1. */
  private static byte[] conv(long... strides) {
    Protobuf g = new Protobuf().string(2, "conv");
    g.message(1, node("Conv", "the_conv", List.of("x", "w"), "y", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
        ints("strides", strides)));
    g.message(5, floatTensor("w", new long[] {1, 1, 3, 3}, new float[9]));
    g.message(11, floatValue("x", "N", 1L, 28L, 28L));
    g.message(12, floatValue("y", "N", 1L, 28L, 28L));
    return OnnxProto.model(g, 13, "test").toByteArray();
  }

  /**
   * Without the check, ONNX Runtime divides by the stride while it creates the session and the
   * JVM dies with SIGFPE (a fuzzed DL4J export did this).
   */
  @Test
  void aConvolutionWithAZeroStrideIsRefusedBeforeOnnxRuntimeSeesIt() {
    assertThatThrownBy(() -> OnnxAutoencoder.fromBytes(conv(0, 1), OnnxConfig.ofDefaults()))
        .isInstanceOf(OnnxModelException.class)
        .hasMessage("node 'the_conv' (Conv): strides must be positive, but was [0, 1]");
  }

  @Test
  void aNegativeStrideIsRefusedToo() {
    assertThatThrownBy(() -> OnnxGraphCheck.check(conv(1, -2)))
        .hasMessage("node 'the_conv' (Conv): strides must be positive, but was [1, -2]");
  }

  @Test
  void aConvolutionWithPositiveStridesLoads() throws Exception {
    try (OnnxAutoencoder model = OnnxAutoencoder.fromBytes(conv(1, 1), OnnxConfig.ofDefaults())) {
      assertThat(model.inputShape().size()).isEqualTo(28 * 28);
    }
  }

  @Test
  void bytesThatAreNotProtobufAreLeftForOnnxRuntimeToRefuse() throws Exception {
    OnnxGraphCheck.check(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x07});
    assertThatThrownBy(() -> OnnxAutoencoder.fromBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x07}, OnnxConfig.ofDefaults()))
        .isInstanceOf(OnnxModelException.class).hasMessageStartingWith("not a valid ONNX model: ");
  }
}
