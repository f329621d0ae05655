package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PixelFontTest {

  private static int lit(BufferedImage image) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        count += (image.getRGB(x, y) & 0xFFFFFF) != 0 ? 1 : 0;
      }
    }
    return count;
  }

  @Test
  void aGlyphIsThreeByFiveCellsScaled() {
    BufferedImage image = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
    PixelFont.draw(image, "1", 0, 0, 1, 0xFFFFFF);
    // 010 / 110 / 010 / 010 / 111
    assertThat(lit(image)).isEqualTo(8);
    assertThat(image.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    assertThat(image.getRGB(0, 0) & 0xFFFFFF).isZero();
    BufferedImage twice = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
    PixelFont.draw(twice, "1", 0, 0, 2, 0xFFFFFF);
    assertThat(lit(twice)).isEqualTo(32);
  }

  @Test
  void lowerCaseDrawsAsCapitalsAndUnknownCharactersAsBlanks() {
    BufferedImage lower = new BufferedImage(40, 10, BufferedImage.TYPE_INT_RGB);
    BufferedImage upper = new BufferedImage(40, 10, BufferedImage.TYPE_INT_RGB);
    PixelFont.draw(lower, "z-map", 0, 0, 1, 0xFFFFFF);
    PixelFont.draw(upper, "Z-MAP", 0, 0, 1, 0xFFFFFF);
    assertThat(lit(lower)).isEqualTo(lit(upper)).isPositive();
    BufferedImage unknown = new BufferedImage(40, 10, BufferedImage.TYPE_INT_RGB);
    PixelFont.draw(unknown, "\u20ac~", 0, 0, 1, 0xFFFFFF);
    assertThat(lit(unknown)).isZero();
  }

  @Test
  void everyCharacterOfTheLabelsIsDrawnAndTextOffTheImageIsClipped() {
    for (char c : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+-.=%#:/()|<>\u00d7".toCharArray()) {
      BufferedImage image = new BufferedImage(3, 5, BufferedImage.TYPE_INT_RGB);
      PixelFont.draw(image, String.valueOf(c), 0, 0, 1, 0xFFFFFF);
      assertThat(lit(image)).as("'%s'", c).isPositive();
    }
    BufferedImage small = new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB);
    PixelFont.draw(small, "WIDE TEXT", -3, 2, 2, 0xFFFFFF);
    assertThat(PixelFont.width("AB", 2)).isEqualTo(14);
    assertThat(PixelFont.height(3)).isEqualTo(15);
  }
}
