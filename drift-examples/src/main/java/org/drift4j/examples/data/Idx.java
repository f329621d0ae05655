package org.drift4j.examples.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.internal.AtomicFiles;

/**
 * Reads and writes MNIST's IDX format: {@code *-idx3-ubyte} images (magic 0x00000803, count,
 * rows, columns, then unsigned bytes; colour images as idx4, magic 0x00000804, count, channels,
 * rows, columns, then each image's bytes channel-major) and {@code *-idx1-ubyte} labels (magic 0x00000801, count,
 * then bytes), raw or gzip-compressed (detected from the content, not the name).
 *
 * <p>Reading trusts no header: a raw file's length must match what its header promises before
 * anything is allocated; a gzip file is read in chunks, so memory follows what has actually been
 * inflated, and it is read to its end, so its CRC and size are checked and bytes after the last
 * image or label are refused. {@link #readImages} and {@link #readLabels} load at most
 * {@link #MAX_BYTES_IN_MEMORY} bytes of pixels or labels; {@link #openImages} streams files of any
 * size. Every defect is a {@link DataFormatException} naming the file and what was wrong.
 *
 * <p>Stateless and thread-safe.
 */
public final class Idx {

  /**
   * The most pixel bytes {@link #readImages} (or label bytes {@link #readLabels}) loads at once,
   * and the most one chunk of {@link IdxImageReader#next} holds: 2^27 = 134,217,728 (171,196
   * images of 28x28; 512 MiB as floats).
   */
  public static final int MAX_BYTES_IN_MEMORY = 1 << 27;

  static final int IMAGES_MAGIC = 0x00000803;
  static final int COLOUR_IMAGES_MAGIC = 0x00000804;
  static final int LABELS_MAGIC = 0x00000801;

  private static final int LABELS_HEADER_BYTES = 8;
  private static final int READ_CHUNK_BYTES = 1 << 20;

  private Idx() {}

  /**
   * Opens an IDX image file for reading in chunks (see {@link IdxImageReader}); the caller closes
   * it.
   *
   * @throws DataFormatException if the file is not an IDX image file, its header gives sizes that
   *     are not positive or an image larger than {@link #MAX_BYTES_IN_MEMORY}, or (raw files) its
   *     length differs from what the header promises
   */
  public static IdxImageReader openImages(Path file) throws IOException {
    return IdxImageReader.open(file);
  }

  /**
   * Reads an IDX image file (grey idx3 or colour idx4) as images scaled to [0, 1].
   *
   * @throws DataFormatException if the file is not an IDX image file, is truncated, is a corrupt
   *     gzip stream, holds data after its last image, or promises more than
   *     {@link #MAX_BYTES_IN_MEMORY} bytes of pixels (stream those with {@link #openImages})
   */
  public static ImageBatch readImages(Path file) throws IOException {
    try (IdxImageReader reader = openImages(file)) {
      ImageShape shape = reader.shape();
      long promised = (long) reader.count() * shape.size();
      if (promised > MAX_BYTES_IN_MEMORY) {
        throw new DataFormatException(file + ": header promises " + reader.count() + " images of "
            + IdxImageReader.describe(shape) + " (" + promised + " bytes), more than the " + MAX_BYTES_IN_MEMORY
            + " bytes that readImages loads at once; stream it with Idx.openImages");
      }
      int chunk = Math.max(1, READ_CHUNK_BYTES / shape.size());
      List<ImageBatch> chunks = new ArrayList<>();
      while (reader.hasNext()) {
        chunks.add(reader.next(chunk));
      }
      return chunks.size() == 1 ? chunks.get(0) : ImageBatch.concat(chunks);
    }
  }

  /**
   * Reads an IDX label file.
   *
   * @throws DataFormatException if the file is not an IDX label file, is truncated, is a corrupt
   *     gzip stream, holds data after its last label, or promises more than
   *     {@link #MAX_BYTES_IN_MEMORY} labels
   */
  public static int[] readLabels(Path file) throws IOException {
    try (IdxInput in = IdxInput.open(file)) {
      int magic = in.readInt();
      if (magic != LABELS_MAGIC) {
        throw new DataFormatException(file + ": not an IDX label file: magic number must be 0x00000801, but was 0x"
            + String.format("%08x", magic) + (magic == IMAGES_MAGIC ? " (an image file)" : ""));
      }
      int count = in.readInt();
      if (count < 0) {
        throw new DataFormatException(file + ": IDX label count must be at least 0, but was " + count);
      }
      if (!in.compressed()) {
        long body = in.rawLength() - LABELS_HEADER_BYTES;
        if (body < count) {
          throw labelsTruncated(file, count, body);
        }
        if (body > count) {
          throw labelsTrailing(file, count, body - count + " bytes");
        }
      }
      if (count > MAX_BYTES_IN_MEMORY) {
        throw new DataFormatException(file + ": header promises " + count + " labels, more than the "
            + MAX_BYTES_IN_MEMORY + " that readLabels loads at once");
      }
      byte[] bytes = in.readUpTo(count);
      if (bytes.length < count) {
        throw labelsTruncated(file, count, bytes.length);
      }
      if (!in.atEnd()) {
        throw labelsTrailing(file, count, "data");
      }
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = bytes[i] & 0xFF;
      }
      return labels;
    }
  }

  private static DataFormatException labelsTruncated(Path file, int count, long held) {
    return new DataFormatException(file + ": header promises " + count + " labels but the file holds only " + held
        + " after the header");
  }

  private static DataFormatException labelsTrailing(Path file, int count, String what) {
    return new DataFormatException(file + ": holds " + what + " after its last label (the header promises " + count
        + " labels); an IDX file must end with its last label");
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
}
