package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.drift4j.ImageShape;
import org.drift4j.testkit.Allocations;
import org.drift4j.testkit.Mutations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, time-bounded fuzzing of the image-folder reader: folders of valid PNGs (8- and 16-bit
 * grey, grey with alpha, RGBA, indexed) and JPEGs with one file mutated (bit flips, truncation, PNG
 * header sizes, appended and removed bytes) must either read, with every pixel in [0, 1], or fail
 * with a {@link DataFormatException} naming a path in the folder, never anything else; and a read
 * may not allocate more than what the shape (or {@link ImageFolders#MAX_PIXELS}) allows.
 */
@Timeout(120)
class ImageFoldersFuzzTest {

  private static final long SEED = 0xF01D_E25L;
  private static final Duration BUDGET = Duration.ofSeconds(3);
  private static final int MIN_ITERATIONS = 150;
  private static final ImageShape SHAPE = ImageShape.grey(6, 5);
  /** PNG header fields: IHDR width and height. */
  private static final int[] PNG_FIELDS = {16, 20};
  /** With a shape no image is decoded at another size; without, none beyond MAX_PIXELS (8 bytes a pixel at most). */
  private static final long BOUND_WITH_SHAPE = 32L << 20;
  private static final long BOUND_WITHOUT_SHAPE = 24L * ImageFolders.MAX_PIXELS + (32L << 20);

  private static final List<String> NAMES = new ArrayList<>();
  private static final List<byte[]> FILES = new ArrayList<>();

  @TempDir
  Path dir;

  @BeforeAll
  static void validFiles() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED);
    BufferedImage grey = new BufferedImage(5, 6, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage grey16 = new BufferedImage(5, 6, BufferedImage.TYPE_USHORT_GRAY);
    BufferedImage rgba = new BufferedImage(5, 6, BufferedImage.TYPE_INT_ARGB);
    ComponentColorModel greyAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
        Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
    BufferedImage ga = new BufferedImage(greyAlpha, greyAlpha.createCompatibleWritableRaster(5, 6), false, null);
    byte[] levels = {0, 60, (byte) 180, (byte) 255};
    BufferedImage indexed = new BufferedImage(5, 6, BufferedImage.TYPE_BYTE_BINARY,
        new IndexColorModel(2, 4, levels, levels, levels));
    BufferedImage rgb = new BufferedImage(5, 6, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 5; x++) {
        grey.getRaster().setSample(x, y, 0, random.nextInt(256));
        grey16.getRaster().setSample(x, y, 0, random.nextInt(65_536));
        rgba.setRGB(x, y, random.nextInt());
        ga.getRaster().setPixel(x, y, new int[] {random.nextInt(256), random.nextInt(256)});
        indexed.getRaster().setSample(x, y, 0, random.nextInt(4));
        rgb.setRGB(x, y, random.nextInt());
      }
    }
    add("grey.png", grey, "png");
    add("grey16.png", grey16, "png");
    add("rgba.png", rgba, "png");
    add("grey-alpha.png", ga, "png");
    add("indexed.png", indexed, "png");
    add("colour.jpg", rgb, "jpeg");
  }

  private static void add(String name, BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).as(name).isTrue();
    NAMES.add(name);
    FILES.add(out.toByteArray());
  }

  /** Sets the PNG's IHDR CRC right, so that a size change reaches the reader as a valid header. */
  private static void fixIhdrCrc(byte[] png) {
    if (png.length >= 33) {
      CRC32 crc = new CRC32();
      crc.update(png, 12, 17);
      ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
    }
  }

  @Test
  void foldersWithAMutatedImageReadOrFailWithAMessage() throws IOException {
    Allocations.assumeCounted();
    long deadline = System.nanoTime() + BUDGET.toNanos();
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < MIN_ITERATIONS || System.nanoTime() < deadline; i++) {
      SplittableRandom random = new SplittableRandom(SEED + i);
      Path folder = dir.resolve("case");
      clear(folder);
      boolean classes = random.nextBoolean();
      int victim = random.nextInt(FILES.size());
      boolean png = NAMES.get(victim).endsWith(".png");
      Mutations.Mutated mutated = Mutations.apply(FILES.get(victim), random, png ? PNG_FIELDS : new int[0]);
      if (png && random.nextBoolean()) {
        fixIhdrCrc(mutated.bytes());
      }
      for (int f = 0; f < FILES.size(); f++) {
        Path file = folder.resolve(classes ? (f % 2 == 0 ? "A/" : "B/") + NAMES.get(f) : NAMES.get(f));
        Files.createDirectories(file.getParent());
        Files.write(file, f == victim ? mutated.bytes() : FILES.get(f));
      }
      ImageShape shape = random.nextInt(4) == 0 ? null : SHAPE;
      boolean skip = random.nextBoolean();
      String replay = "seed " + SEED + ", iteration " + i + ", " + NAMES.get(victim) + " " + mutated.steps()
          + (shape == null ? ", no shape" : "") + (skip ? ", skipping unreadable" : "");
      long before = Allocations.sofar();
      Throwable thrown = null;
      try {
        LabeledImages read = ImageFolders.read(folder, shape, skip);
        for (float v : read.images().toFlatArray()) {
          if (!(v >= 0f && v <= 1f)) {
            fail(replay + ": pixel " + v + " outside [0, 1]");
          }
        }
        accepted++;
      } catch (Throwable t) {
        thrown = t;
        refused++;
      }
      long allocated = Allocations.sofar() - before;
      if (thrown != null && !(thrown instanceof DataFormatException && thrown.getMessage() != null
          && thrown.getMessage().startsWith(folder.toString()))) {
        fail(replay + ": only a DataFormatException naming a path in the folder may escape, but got " + thrown, thrown);
      }
      long bound = shape == null ? BOUND_WITHOUT_SHAPE : BOUND_WITH_SHAPE;
      if (allocated > bound) {
        fail(replay + ": allocated " + allocated + " bytes, more than " + bound);
      }
    }
    assertThat(accepted).as("mutations read").isPositive();
    assertThat(refused).as("mutations refused").isPositive();
  }

  private static void clear(Path folder) throws IOException {
    if (Files.exists(folder)) {
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(folder);
  }
}
