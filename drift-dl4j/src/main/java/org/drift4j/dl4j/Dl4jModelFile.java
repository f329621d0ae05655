package org.drift4j.dl4j;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.drift4j.internal.AtomicFiles;
import org.drift4j.internal.Streams;

/**
 * The model file format: one zip holding the DL4J network ({@value #NETWORK_ENTRY}) and what
 * Drift4j knows about it ({@value #INFO_ENTRY}, a {@link Dl4jModelInfo}). Reading checks the
 * format marker, the schema version, the fingerprint and the input shape. Stateless.
 */
final class Dl4jModelFile {

  static final String INFO_ENTRY = "drift4j-model.json";
  static final String NETWORK_ENTRY = "network.zip";

  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** A model read from a file. */
  record Contents(Model network, Dl4jModelInfo info) {}

  private Dl4jModelFile() {}

  /** Writes {@code network} and {@code info} to {@code file}, atomically. */
  static void write(Path file, Model network, Dl4jModelInfo info) throws IOException {
    byte[] networkBytes = Networks.serialize(network);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(INFO_ENTRY));
      zip.write(JSON.writeValueAsBytes(info));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(NETWORK_ENTRY));
      zip.write(networkBytes);
      zip.closeEntry();
    }
    AtomicFiles.write(file, bytes.toByteArray());
  }

  /** The most bytes reading one model file inflates, whatever its size: 1 GiB. */
  static final long MAX_INFLATED_BYTES = 1L << 30;
  /** The most bytes reading one model file inflates per byte of the file (plus 1 MiB). */
  static final int MAX_EXPANSION = 100;
  /** The most bytes of {@value #INFO_ENTRY}. */
  static final long MAX_INFO_BYTES = 1L << 20;
  /** The most bytes of the network's configuration. */
  static final long MAX_CONFIGURATION_BYTES = 16L << 20;

  private static final String CONFIGURATION = "configuration.json";
  private static final String COEFFICIENTS = "coefficients.bin";
  private static final String NO_PARAMS = "noParams.marker";
  private static final String UPDATER = "updaterState.bin";

  /**
   * Reads and checks a model file. Inflating is bounded (see {@link ModelZip}): {@value #INFO_ENTRY}
   * at most {@value #MAX_INFO_BYTES} bytes, the network's configuration at most 16 MiB, and the
   * file altogether at most {@value #MAX_EXPANSION} times its size plus 1 MiB, never more than
   * 1 GiB; the parameters' header must declare exactly the values the entry holds, so nothing is
   * allocated for values that are not there. The network zip is read entry by entry and handed to
   * DL4J rebuilt from what was read, so DL4J never sees a central directory Drift4j did not check.
   */
  static Contents read(Path file) throws IOException {
    long size = Files.size(file);
    long limit = Math.min(MAX_INFLATED_BYTES, MAX_EXPANSION * size + (1L << 20));
    ModelZip.Budget budget = new ModelZip.Budget(file.toString(), limit,
        MAX_EXPANSION + " times its " + size + " bytes plus 1 MiB, at most " + MAX_INFLATED_BYTES);
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), budget);
    }
  }

  /**
   * Reads and checks a model from a stream, which is left open; inflating is bounded as for a
   * file, at most {@value #MAX_INFLATED_BYTES} bytes in all. {@code file} names the source in messages.
   */
  static Contents read(InputStream in, String file) throws IOException {
    return read(in, file, new ModelZip.Budget(file, MAX_INFLATED_BYTES,
        "at most " + MAX_INFLATED_BYTES + " for a model read from a stream"));
  }

  private static Contents read(InputStream in, String file, ModelZip.Budget budget) throws IOException {
    Map<String, Long> outer = new LinkedHashMap<>();
    outer.put(INFO_ENTRY, MAX_INFO_BYTES);
    outer.put(NETWORK_ENTRY, MAX_INFLATED_BYTES);
    Map<String, byte[]> entries = ModelZip.read(file, "", Streams.nonClosing(in), outer, budget);
    if (entries.isEmpty()) {
      throw new Dl4jModelFormatException(file + ": not a Drift4j DL4J model: not a zip file, or an empty one");
    }
    byte[] infoBytes = entries.get(INFO_ENTRY);
    byte[] networkBytes = entries.get(NETWORK_ENTRY);
    if (infoBytes == null || networkBytes == null) {
      throw new Dl4jModelFormatException(file + ": not a Drift4j DL4J model: it must hold entries " + INFO_ENTRY
          + " and " + NETWORK_ENTRY + ", but held " + entries.keySet());
    }
    Dl4jModelInfo info = parseInfo(file, infoBytes);
    byte[] network = checkedNetwork(file, networkBytes, budget);
    Model model;
    try {
      model = Networks.deserialize(network, "ComputationGraph".equals(info.networkType()));
    } catch (IOException | RuntimeException e) {
      throw new Dl4jModelFormatException(file + ": the network entry is corrupt: " + e.getMessage(), e);
    }
    CNN2DFormat format = CNN2DFormat.valueOf(info.dataFormat());
    String actual = Networks.fingerprint(model, info.inputShape(), format);
    if (!actual.equals(info.fingerprint())) {
      throw new Dl4jModelFormatException(file + ": the network's fingerprint " + actual + " does not match the recorded "
          + info.fingerprint() + " (corrupt or edited file)");
    }
    try {
      Networks.requireShapePreserving(model, info.inputShape(), format);
    } catch (IllegalArgumentException e) {
      throw new Dl4jModelFormatException(file + ": the network does not fit its recorded input shape "
          + info.inputShape() + ": " + e.getMessage(), e);
    }
    return new Contents(model, info);
  }

  /** The DL4J network zip rebuilt from its checked entries (stored, without updater state). */
  private static byte[] checkedNetwork(String file, byte[] networkBytes, ModelZip.Budget budget) throws IOException {
    Map<String, Long> limits = new LinkedHashMap<>();
    limits.put(CONFIGURATION, MAX_CONFIGURATION_BYTES);
    limits.put(COEFFICIENTS, MAX_INFLATED_BYTES);
    limits.put(NO_PARAMS, 1024L);
    limits.put(UPDATER, MAX_INFLATED_BYTES);
    Map<String, byte[]> parts = ModelZip.read(file, NETWORK_ENTRY + "/", networkBytes, limits, budget);
    if (!parts.containsKey(CONFIGURATION) || !(parts.containsKey(COEFFICIENTS) || parts.containsKey(NO_PARAMS))) {
      throw new Dl4jModelFormatException(file + ": the network entry is corrupt: it must hold " + CONFIGURATION + " and "
          + COEFFICIENTS + ", but held " + parts.keySet());
    }
    if (parts.containsKey(COEFFICIENTS)) {
      Coefficients.check(file + ": entry " + NETWORK_ENTRY + "/" + COEFFICIENTS, parts.get(COEFFICIENTS));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String name : new String[] {CONFIGURATION, COEFFICIENTS, NO_PARAMS}) {
        byte[] content = parts.get(name);
        if (content != null) {
          ZipEntry entry = new ZipEntry(name);
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(content.length);
          entry.setCompressedSize(content.length);
          CRC32 crc = new CRC32();
          crc.update(content);
          entry.setCrc(crc.getValue());
          zip.putNextEntry(entry);
          zip.write(content);
          zip.closeEntry();
        }
      }
    }
    return bytes.toByteArray();
  }

  private static Dl4jModelInfo parseInfo(String file, byte[] bytes) throws Dl4jModelFormatException {
    try {
      JsonNode node = JSON.readTree(bytes);
      String format = node.path("format").asText("");
      if (!Dl4jModelInfo.FORMAT.equals(format)) {
        throw new Dl4jModelFormatException(file + ": format must be " + Dl4jModelInfo.FORMAT + ", but was '" + format + "'");
      }
      int version = node.path("schemaVersion").asInt(-1);
      if (version > Dl4jModelInfo.SCHEMA_VERSION || version < 1) {
        throw new Dl4jModelFormatException(file + ": schemaVersion " + version + " is not supported (this library reads 1 to "
            + Dl4jModelInfo.SCHEMA_VERSION + "; upgrade Drift4j for newer files)");
      }
      String dataFormat = node.path("dataFormat").asText("");
      if (!dataFormat.equals("NCHW") && !dataFormat.equals("NHWC")) {
        throw new Dl4jModelFormatException(file + ": " + INFO_ENTRY + ": dataFormat must be NCHW or NHWC, but was '"
            + dataFormat + "'");
      }
      String networkType = node.path("networkType").asText("");
      if (!networkType.equals("MultiLayerNetwork") && !networkType.equals("ComputationGraph")) {
        throw new Dl4jModelFormatException(file + ": " + INFO_ENTRY + ": networkType must be MultiLayerNetwork or"
            + " ComputationGraph, but was '" + networkType + "'");
      }
      return JSON.treeToValue(node, Dl4jModelInfo.class);
    } catch (Dl4jModelFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new Dl4jModelFormatException(file + ": " + INFO_ENTRY + " is not valid: " + e.getMessage(), e);
    }
  }
}
