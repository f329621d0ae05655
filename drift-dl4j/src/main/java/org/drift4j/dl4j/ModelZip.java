package org.drift4j.dl4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads the entries of a zip that a model file holds, under limits, so that a small hostile file
 * cannot make a reader inflate gigabytes: only the entry names the caller expects (any other is
 * refused before it is inflated), each once; an entry's declared size, where its header gives
 * one, must be within its limit before anything is inflated, and inflating stops as soon as an
 * entry passes its limit or all entries together pass a shared budget. Sizes and CRCs are checked
 * against the headers by {@link ZipInputStream}. Entries are read in the stream's order, each
 * byte once, so entries that overlap in a crafted central directory inflate nothing twice.
 *
 * <p>Not thread-safe: one per model file read.
 */
final class ModelZip {

  /** What may be inflated from one model file altogether, shared by the zip and the zip within it. */
  static final class Budget {
    private final String file;
    private final long limit;
    private final String why;
    private long used;

    Budget(String file, long limit, String why) {
      this.file = file;
      this.limit = limit;
      this.why = why;
    }

    long left() {
      return limit - used;
    }

    void spend(long bytes, String entry) throws Dl4jModelFormatException {
      used += bytes;
      if (used > limit) {
        throw new Dl4jModelFormatException(file + ": entry " + entry + " inflates past the " + limit
            + " bytes this file may inflate to (" + why + "); a zip bomb or a corrupt model");
      }
    }
  }

  private ModelZip() {}

  /**
   * The entries of the zip in {@code in}.
   *
   * @param file how messages name the file
   * @param prefix how messages name the zip within the file ("" for the file itself, else "network.zip/")
   * @param limits the expected entry names and the most bytes each may inflate to
   */
  static Map<String, byte[]> read(String file, String prefix, InputStream in, Map<String, Long> limits, Budget budget)
      throws Dl4jModelFormatException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        String name = prefix + entry.getName();
        Long limit = limits.get(entry.getName());
        if (limit == null) {
          throw new Dl4jModelFormatException(file + ": not a Drift4j DL4J model: entry " + name + " is none of "
              + String.join(", ", limits.keySet().stream().map(n -> prefix + n).toList())
              + ", the only entries it may hold");
        }
        if (entries.containsKey(entry.getName())) {
          throw new Dl4jModelFormatException(file + ": entry " + name + " occurs twice; a model holds each entry once");
        }
        if (entry.getSize() > limit) {
          throw new Dl4jModelFormatException(file + ": entry " + name + " declares " + entry.getSize()
              + " bytes, more than the " + limit + " it may hold");
        }
        entries.put(entry.getName(), inflate(file, name, zip, limit, budget));
      }
    } catch (ZipException | EOFException | IllegalArgumentException e) {
      // ZipInputStream throws IllegalArgumentException for an entry name that is not UTF-8
      throw new Dl4jModelFormatException(file + ": " + (prefix.isEmpty() ? "" : "entry " + prefix.replace("/", "")
          + ": ") + "not a readable zip file (truncated or corrupt model): " + e.getMessage(), e);
    } catch (Dl4jModelFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new Dl4jModelFormatException(file + ": could not read the zip: " + e, e);
    }
    return entries;
  }

  private static byte[] inflate(String file, String name, ZipInputStream zip, long limit, Budget budget)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = zip.read(buffer, 0, (int) Math.min(buffer.length, Math.max(1, Math.min(limit - total + 1,
        budget.left() + 1))))) > 0) {
      total += n;
      if (total > limit) {
        throw new Dl4jModelFormatException(file + ": entry " + name + " inflates to more than the " + limit
            + " bytes it may hold");
      }
      budget.spend(n, name);
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** {@link #read} of a zip held in memory. */
  static Map<String, byte[]> read(String file, String prefix, byte[] zip, Map<String, Long> limits, Budget budget)
      throws Dl4jModelFormatException {
    return read(file, prefix, new ByteArrayInputStream(zip), limits, budget);
  }
}
