package org.drift4j;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A 3×5 bitmap font of capitals, digits and a few signs, for the labels of rendered explanations:
 * drawing text through java.awt needs installed fonts, which headless servers and slim containers
 * often lack, and gives different pixels on every machine. Stateless.
 */
final class PixelFont {

  private static final String GLYPHS = ""
      + "0111101101101111" + "1010110010010111" + "2111001111100111" + "3111001111001111" + "4101101111001001"
      + "5111100111001111" + "6111100111101111" + "7111001001001001" + "8111101111101111" + "9111101111001111"
      + "A010101111101101" + "B110101110101110" + "C011100100100011" + "D110101101101110" + "E111100110100111"
      + "F111100110100100" + "G011100101101011" + "H101101111101101" + "I111010010010111" + "J001001001101010"
      + "K101101110101101" + "L100100100100111" + "M101111111101101" + "N110101101101101" + "O010101101101010"
      + "P110101110100100" + "Q010101101110011" + "R110101110101101" + "S011100010001110" + "T111010010010010"
      + "U101101101101111" + "V101101101101010" + "W101101111111101" + "X101101010101101" + "Y101101010010010"
      + "Z111001010100111" + "+000010111010000" + "-000000111000000" + ".000000000000010" + "=000111000111000"
      + "%101001010100101" + "#101111101111101" + ":000010000010000" + "/001001010100100" + "(010100100100010"
      + ")010001001001010" + "|010010010010010" + ">100010001010100" + "<001010100010001" + " 000000000000000"
      + "\u00d7000101010101000";

  private static final Map<Character, boolean[]> FONT = new HashMap<>();

  static {
    for (int g = 0; g < GLYPHS.length(); g += 16) {
      boolean[] bits = new boolean[15];
      for (int b = 0; b < 15; b++) {
        bits[b] = GLYPHS.charAt(g + 1 + b) == '1';
      }
      FONT.put(GLYPHS.charAt(g), bits);
    }
  }

  private PixelFont() {}

  /** {@return the width in pixels of {@code text} drawn at {@code scale}} */
  static int width(String text, int scale) {
    return text.isEmpty() ? 0 : (4 * text.length() - 1) * scale;
  }

  /** {@return the height in pixels of a line at {@code scale}} */
  static int height(int scale) {
    return 5 * scale;
  }

  /**
   * Draws {@code text} (lower case as capitals; unknown characters as blanks) with its top-left
   * corner at (x, y), clipped to the image.
   */
  static void draw(BufferedImage image, String text, int x, int y, int scale, int rgb) {
    String upper = text.toUpperCase(Locale.ROOT);
    for (int i = 0; i < upper.length(); i++) {
      boolean[] bits = FONT.get(upper.charAt(i));
      if (bits == null) {
        continue;
      }
      int left = x + 4 * scale * i;
      for (int b = 0; b < 15; b++) {
        if (bits[b]) {
          fill(image, left + (b % 3) * scale, y + (b / 3) * scale, scale, scale, rgb);
        }
      }
    }
  }

  /** Fills a rectangle, clipped to the image. */
  static void fill(BufferedImage image, int x, int y, int width, int height, int rgb) {
    for (int yy = Math.max(0, y); yy < Math.min(image.getHeight(), y + height); yy++) {
      for (int xx = Math.max(0, x); xx < Math.min(image.getWidth(), x + width); xx++) {
        image.setRGB(xx, yy, rgb);
      }
    }
  }
}
