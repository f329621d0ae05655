package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.drift4j.DriftExplanation.Direction;
import org.drift4j.DriftExplanation.Region;
import org.drift4j.ExplanationSummary.Kind;
import org.junit.jupiter.api.Test;

class ExplanationSummaryTest {

  private static final ImageShape SHAPE = ImageShape.grey(30, 30);

  /** Significance +sign inside rows [top, top + h) and columns [left, left + w) of a 30x30 image. */
  private static byte[] box(int top, int left, int h, int w, int sign) {
    byte[] s = new byte[SHAPE.size()];
    for (int y = top; y < top + h; y++) {
      for (int x = left; x < left + w; x++) {
        s[y * 30 + x] = (byte) sign;
      }
    }
    return s;
  }

  private static float[] z(byte[] significance, float value) {
    float[] z = new float[significance.length];
    for (int k = 0; k < z.length; k++) {
      z[k] = significance[k] * value;
    }
    return z;
  }

  @Test
  void aBoxOfSignificantPixelsIsARegionNamedByWhereItLies() {
    byte[] s = box(2, 3, 10, 8, 1);
    ExplanationSummary.Summary summary = ExplanationSummary.of(SHAPE, s, z(s, 6), 0.2, 0.1);
    assertThat(summary.regions()).containsExactly(new Region(Direction.UP, 2, 3, 10, 8, List.of(0), 1.0, 6.0));
    assertThat(summary.text())
        .isEqualTo("Errors up in the top-left 8\u00d710 region (rows 2\u201311, columns 3\u201310); mean error +100.0%"
            + " over the baseline's.");
  }

  @Test
  void positionsAreThirdsOfTheImage() {
    String[] expected = {"top-left", "top", "top-right", "left", "centre", "right", "bottom-left", "bottom",
        "bottom-right"};
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 3; col++) {
        Region r = new Region(Direction.UP, row * 10 + 2, col * 10 + 2, 5, 5, List.of(0), 1, 5);
        assertThat(ExplanationSummary.position(SHAPE, r)).isEqualTo(expected[row * 3 + col]);
      }
    }
  }

  @Test
  void halfTheImageOrMoreIsAChangeAcrossTheImage() {
    byte[] s = box(0, 0, 15, 30, 1);
    ExplanationSummary.Finding f = ExplanationSummary.find(SHAPE, s, z(s, 5), Direction.UP);
    assertThat(f.kind()).isEqualTo(Kind.ACROSS);
    assertThat(f.region()).isNull();
    assertThat(ExplanationSummary.of(SHAPE, s, z(s, 5), 0.3, 0.1).text())
        .isEqualTo("Uniform rise across the image (50% of pixels up); mean error +200.0% over the baseline's.");
    byte[] down = box(0, 0, 30, 30, -1);
    assertThat(ExplanationSummary.of(SHAPE, down, z(down, 5), 0.05, 0.1).text())
        .isEqualTo("Errors down across the image (100% of pixels): images simpler than the baseline's; mean error"
            + " -50.0% over the baseline's.");
  }

  @Test
  void sparsePixelsAreScatteredAndInNoRegion() {
    byte[] s = new byte[SHAPE.size()];
    for (int y = 0; y < 30; y += 3) {
      for (int x = 0; x < 30; x += 3) {
        s[y * 30 + x] = 1;
      }
    }
    ExplanationSummary.Summary summary = ExplanationSummary.of(SHAPE, s, z(s, 5), 0.1, 0.1);
    assertThat(summary.regions()).isEmpty();
    assertThat(summary.text()).isEqualTo("Errors up at scattered pixels (11% of the image), in no single region;"
        + " mean error +0.0% over the baseline's.");
  }

  @Test
  void aThinDiagonalIsOneGroupButTooSparseForItsBox() {
    byte[] s = new byte[SHAPE.size()];
    for (int i = 0; i < 12; i++) {
      s[i * 30 + i] = -1;
    }
    assertThat(ExplanationSummary.largestGroup(flags(s), 30, 30)).hasSize(12);
    assertThat(ExplanationSummary.find(SHAPE, s, z(s, 5), Direction.DOWN).kind()).isEqualTo(Kind.SCATTERED);
  }

  private static boolean[] flags(byte[] s) {
    boolean[] out = new boolean[s.length];
    for (int k = 0; k < s.length; k++) {
      out[k] = s[k] != 0;
    }
    return out;
  }

  @Test
  void bothDirectionsAreSaidTheLargerFirstAndDownRegionsSayTheImagesAreSimplerThere() {
    byte[] s = box(20, 20, 6, 6, -1);
    byte[] up = box(0, 0, 3, 3, 1);
    for (int k = 0; k < s.length; k++) {
      s[k] += up[k];
    }
    ExplanationSummary.Summary summary = ExplanationSummary.of(SHAPE, s, z(s, 4), 0.1, 0.1);
    assertThat(summary.regions()).extracting(Region::direction).containsExactly(Direction.DOWN, Direction.UP);
    assertThat(summary.text()).startsWith("Errors down in the bottom-right 6\u00d76 region (rows 20\u201325, columns"
        + " 20\u201325): simpler there than the baseline's images (blanked, flat or missing content); errors up in the"
        + " top-left 3\u00d73 region");
    assertThat(summary.regions().get(0).peakZ()).isEqualTo(-4.0);
  }

  @Test
  void nothingSignificantSaysSo() {
    byte[] s = new byte[SHAPE.size()];
    assertThat(ExplanationSummary.of(SHAPE, s, new float[s.length], 0.1, 0.1).text())
        .isEqualTo("No pixel departs significantly from the baseline; mean error +0.0% over the baseline's.");
  }

  @Test
  void aColourRegionNamesItsChannelsWhenNotAll() {
    ImageShape rgb = new ImageShape(3, 30, 30);
    byte[] s = new byte[rgb.size()];
    byte[] red = box(10, 10, 4, 4, 1);
    System.arraycopy(red, 0, s, 0, red.length);
    System.arraycopy(red, 0, s, 2 * 900, red.length);
    ExplanationSummary.Summary summary = ExplanationSummary.of(rgb, s, z(s, 5), 0.1, 0.1);
    assertThat(summary.regions().get(0).channels()).containsExactly(0, 2);
    assertThat(summary.text()).startsWith("Errors up in the centre 4\u00d74 region (rows 10\u201313, columns 10\u201313)"
        + " in the red and blue channels;");
  }
}
