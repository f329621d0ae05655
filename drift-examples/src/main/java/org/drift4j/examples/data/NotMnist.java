package org.drift4j.examples.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;

/**
 * notMNIST: letters A–J in many fonts, 28×28 greyscale, labels 0–9 for A–J. Loads the real
 * dataset when the user has it (the release's folder-per-letter PNGs, or IDX files converted from
 * it); otherwise renders notMNIST-style images from every font family the JDK can see, with random
 * size, position, weight and slant, white on black like MNIST. More font packages give more
 * variety; on Debian: fonts-dejavu (preinstalled), fonts-liberation2, fonts-freefont-ttf,
 * fonts-urw-base35, fonts-croscore.
 */
public final class NotMnist {

  /** The ten letters. */
  public static final String LETTERS = "ABCDEFGHIJ";

  private static final Set<String> LOGICAL = Set.of("dialog", "dialoginput", "monospaced", "serif", "sansserif");
  private static final ImageShape SHAPE = ImageShape.grey(28, 28);

  private NotMnist() {}

  /**
   * The real notMNIST if {@code path} holds it (a folder of A/ … J/ PNG folders, unreadable files
   * skipped as the release has a few; or a directory with IDX image and label files); otherwise
   * null.
   */
  public static LabeledImages loadReal(Path path) throws IOException {
    if (path == null || !Files.isDirectory(path)) {
      return null;
    }
    try (var s = Files.list(path)) {
      List<Path> idx = s.filter(p -> p.getFileName().toString().contains("idx3-ubyte")).sorted().toList();
      if (!idx.isEmpty()) {
        Path images = idx.get(0);
        Path labels = Path.of(images.toString().replace("images", "labels").replace("idx3", "idx1"));
        return Idx.read(images, Files.exists(labels) ? labels : null);
      }
    }
    return ImageFolders.read(path, SHAPE, true);
  }

  /** Font families that can render A–J (logical and symbol fonts excluded), sorted. */
  public static List<String> fontFamilies() {
    List<String> usable = new ArrayList<>();
    for (String family : GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT)) {
      String lower = family.toLowerCase(Locale.ROOT);
      if (LOGICAL.contains(lower.replace(" ", "")) || lower.contains("symbol") || lower.contains("dingbat")
          || lower.contains("math") || lower.equals("d050000l")) {
        continue;
      }
      Font font = new Font(family, Font.PLAIN, 20);
      if (font.canDisplayUpTo(LETTERS) == -1) {
        usable.add(family);
      }
    }
    usable.sort(String::compareTo);
    return usable;
  }

  /**
   * Renders {@code count} letter images, balanced over A–J, seeded.
   *
   * @throws IllegalStateException if the JDK sees no usable font
   */
  public static LabeledImages generate(int count, long seed) {
    List<String> families = fontFamilies();
    if (families.isEmpty()) {
      throw new IllegalStateException("no font can render A-J; install a font package, e.g. apt-get install fonts-dejavu");
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[] flat = new float[count * SHAPE.size()];
    int[] labels = new int[count];
    BufferedImage canvas = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < count; i++) {
      labels[i] = i % LETTERS.length();
      render(canvas, LETTERS.charAt(labels[i]), families.get(random.nextInt(families.size())), random);
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          flat[i * SHAPE.size() + y * 28 + x] = canvas.getRaster().getSample(x, y, 0) / 255f;
        }
      }
    }
    return new LabeledImages(ImageBatch.ofFlat(SHAPE, flat), labels,
        "generated notMNIST-style letters (" + count + " images, " + families.size() + " font families)");
  }

  private static void render(BufferedImage canvas, char letter, String family, SplittableRandom random) {
    Graphics2D g = canvas.createGraphics();
    try {
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, 28, 28);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      int style = (random.nextBoolean() ? Font.BOLD : Font.PLAIN) | (random.nextInt(4) == 0 ? Font.ITALIC : Font.PLAIN);
      Font font = new Font(family, style, 40);
      double shear = (random.nextDouble() - 0.5) * 0.5;
      GlyphVector glyph = font.createGlyphVector(g.getFontRenderContext(), String.valueOf(letter));
      java.awt.Shape outline = AffineTransform.getShearInstance(shear, 0).createTransformedShape(glyph.getOutline());
      Rectangle2D bounds = outline.getBounds2D();
      double target = 16 + random.nextDouble() * 10; // glyph box 16–26 px
      double scale = target / Math.max(bounds.getWidth(), bounds.getHeight());
      double w = bounds.getWidth() * scale;
      double h = bounds.getHeight() * scale;
      double x = (28 - w) * random.nextDouble();
      double y = (28 - h) * random.nextDouble();
      AffineTransform place = new AffineTransform();
      place.translate(x, y);
      place.scale(scale, scale);
      place.translate(-bounds.getX(), -bounds.getY());
      g.setColor(new Color(200 + random.nextInt(56), 200 + random.nextInt(56), 200 + random.nextInt(56)));
      g.fill(place.createTransformedShape(outline));
    } finally {
      g.dispose();
    }
  }
}
