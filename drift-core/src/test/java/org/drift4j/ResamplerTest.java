package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** Resampling matches Pillow 9.4's {@code Image.resize} on a float image (mode "F"), values printed by Pillow. */
class ResamplerTest {

  private static final int W = 6;
  private static final int H = 5;

  private static float[] source() {
    float[] v = new float[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        v[y * W + x] = ((x * 7 + y * 3) % 11) / 10f;
      }
    }
    return v;
  }

  private static float[] resize(Resampler.Filter filter, int outW, int outH) {
    float[] out = new float[outW * outH];
    Resampler.resize(source(), 0, 1, H, W, filter, out, 0, outH, outW);
    return out;
  }

  @Test
  void bilinearShrinkingAveragesOverTheWidenedFootprintAsPillowDoes() {
    assertThat(resize(Resampler.Filter.TRIANGLE, 4, 2)).containsExactly(new float[] {
        0.450000f, 0.600000f, 0.566667f, 0.506250f, 0.550000f, 0.455556f, 0.444444f, 0.356250f}, offset(1e-5f));
  }

  @Test
  void bilinearGrowingInterpolatesAsPillowDoes() {
    float[] out = resize(Resampler.Filter.TRIANGLE, 9, 7);
    assertThat(out).hasSize(63);
    assertThat(new float[] {out[0], out[1], out[2], out[9], out[10], out[31], out[62]})
        .containsExactly(new float[] {0f, 0.35f, 0.633333f, 0.171429f, 0.521429f, 0.7f, 0.3f}, offset(1e-5f));
  }

  @Test
  void areaAveragesTheCoveredPixelsAsPillowsBoxDoes() {
    assertThat(resize(Resampler.Filter.BOX, 4, 2)).containsExactly(new float[] {
        0.466667f, 0.600000f, 0.550000f, 0.500000f, 0.575000f, 0.250000f, 0.475000f, 0.150000f}, offset(1e-5f));
  }

  @Test
  void nearestPicksOneSourcePixelAsPillowDoes() {
    assertThat(resize(Resampler.Filter.NEAREST, 4, 2)).containsExactly(new float[] {
        0.3f, 0.6f, 0.2f, 0.5f, 0.9f, 0.1f, 0.8f, 0f}, offset(1e-6f));
    // growing 6 → 9 columns: output x reads source floor((x + 0.5) · 6 / 9)
    float[] grown = resize(Resampler.Filter.NEAREST, 9, 1);
    float[] src = source();
    int[] expected = {0, 1, 1, 2, 3, 3, 4, 5, 5};
    for (int x = 0; x < 9; x++) {
      // one output row reads the middle source row, 2
      assertThat(grown[x]).as("column %d", x).isEqualTo(src[2 * W + expected[x]]);
    }
  }

  @Test
  void everyPlaneOfAColourImageIsResizedAlike() {
    float[] two = new float[2 * W * H];
    System.arraycopy(source(), 0, two, 0, W * H);
    System.arraycopy(source(), 0, two, W * H, W * H);
    float[] out = new float[2 * 8];
    Resampler.resize(two, 0, 2, H, W, Resampler.Filter.TRIANGLE, out, 0, 2, 4);
    assertThat(java.util.Arrays.copyOfRange(out, 0, 8)).containsExactly(java.util.Arrays.copyOfRange(out, 8, 16));
    assertThat(java.util.Arrays.copyOfRange(out, 0, 8)).containsExactly(resize(Resampler.Filter.TRIANGLE, 4, 2));
  }
}
