package org.drift4j.examples.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.internal.AtomicFiles;

/**
 * Reads and writes MNIST's IDX format: {@code *-idx3-ubyte} images (magic 0x00000803, count,
 * rows, columns, then unsigned bytes) and {@code *-idx1-ubyte} labels (magic 0x00000801, count,
 * then bytes), raw or gzip-compressed (detected from the content, not the name).
 */
public final class Idx {

  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;

  private Idx() {}

  /**
   * Reads an IDX image file as greyscale images scaled to [0, 1].
   *
   * @throws DataFormatException if the file is not an IDX image file or is truncated
   */
  public static ImageBatch readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != IMAGES_MAGIC) {
        throw new DataFormatException(file + ": not an IDX image file: magic number must be 0x00000803, but was 0x"
            + String.format("%08x", magic) + (magic == LABELS_MAGIC ? " (a label file)" : ""));
      }
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      if (count < 1 || rows < 1 || cols < 1 || (long) count * rows * cols > Integer.MAX_VALUE) {
        throw new DataFormatException(file + ": IDX header must give positive sizes, but gave " + count + " images of "
            + rows + "x" + cols);
      }
      byte[] pixels = new byte[count * rows * cols];
      try {
        in.readFully(pixels);
      } catch (EOFException e) {
        throw new DataFormatException(file + ": truncated: the header promises " + count + " images of " + rows + "x"
            + cols + " but the file ends early", e);
      }
      float[] flat = new float[pixels.length];
      for (int i = 0; i < flat.length; i++) {
        flat[i] = (pixels[i] & 0xFF) / 255f;
      }
      return ImageBatch.ofFlat(ImageShape.grey(rows, cols), flat);
    } catch (EOFException e) {
      throw new DataFormatException(file + ": truncated IDX header", e);
    } catch (java.util.zip.ZipException e) {
      throw new DataFormatException(file + ": corrupt gzip stream: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an IDX label file.
   *
   * @throws DataFormatException if the file is not an IDX label file or is truncated
   */
  public static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != LABELS_MAGIC) {
        throw new DataFormatException(file + ": not an IDX label file: magic number must be 0x00000801, but was 0x"
            + String.format("%08x", magic) + (magic == IMAGES_MAGIC ? " (an image file)" : ""));
      }
      int count = in.readInt();
      if (count < 0) {
        throw new DataFormatException(file + ": IDX label count must be at least 0, but was " + count);
      }
      byte[] bytes = new byte[count];
      try {
        in.readFully(bytes);
      } catch (EOFException e) {
        throw new DataFormatException(file + ": truncated: the header promises " + count + " labels but the file ends early", e);
      }
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = bytes[i] & 0xFF;
      }
      return labels;
    } catch (EOFException e) {
      throw new DataFormatException(file + ": truncated IDX header", e);
    } catch (java.util.zip.ZipException e) {
      throw new DataFormatException(file + ": corrupt gzip stream: " + e.getMessage(), e);
    }
  }

  /**
   * Reads images and their labels, checking that they pair up.
   *
   * @throws DataFormatException if the counts differ
   */
  public static LabeledImages read(Path images, Path labels) throws IOException {
    ImageBatch batch = readImages(images);
    int[] l = labels == null ? null : readLabels(labels);
    if (l != null && l.length != batch.size()) {
      throw new DataFormatException(labels + ": holds " + l.length + " labels but " + images + " holds " + batch.size()
          + " images; they must pair up");
    }
    return new LabeledImages(batch, l, images.toString());
  }

  /** Writes greyscale images as a gzip-compressed IDX file, atomically. */
  public static void writeImages(ImageBatch images, Path file) throws IOException {
    ImageShape s = images.shape();
    if (s.channels() != 1) {
      throw new IllegalArgumentException("IDX holds greyscale images: channels must be 1, but was " + s.channels());
    }
    write(file, out -> {
      out.writeInt(IMAGES_MAGIC);
      out.writeInt(images.size());
      out.writeInt(s.height());
      out.writeInt(s.width());
      float[] flat = images.toFlatArray();
      byte[] bytes = new byte[flat.length];
      for (int i = 0; i < flat.length; i++) {
        bytes[i] = (byte) Math.round(flat[i] * 255f);
      }
      out.write(bytes);
    });
  }

  /** Writes labels as a gzip-compressed IDX file, atomically. */
  public static void writeLabels(int[] labels, Path file) throws IOException {
    write(file, out -> {
      out.writeInt(LABELS_MAGIC);
      out.writeInt(labels.length);
      for (int l : labels) {
        out.writeByte(l);
      }
    });
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static void write(Path file, Body body) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(bytes)))) {
      body.write(out);
    }
    AtomicFiles.write(file, bytes.toByteArray());
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file));
    raw.mark(2);
    int b1 = raw.read();
    int b2 = raw.read();
    raw.reset();
    InputStream in = raw;
    if (b1 == 0x1f && b2 == 0x8b) {
      try {
        in = new BufferedInputStream(new GZIPInputStream(raw));
      } catch (IOException e) {
        raw.close();
        throw new DataFormatException(file + ": corrupt gzip stream: " + e.getMessage(), e);
      }
    }
    return new DataInputStream(in);
  }
}
