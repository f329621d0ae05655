package org.drift4j.dl4j;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
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

  /** Reads and checks a model file. */
  static Contents read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /** Reads and checks a model from a stream; {@code file} names the source in messages. */
  static Contents read(InputStream in, String file) throws IOException {
    Map<String, byte[]> entries = readZip(in, file);
    byte[] infoBytes = entries.get(INFO_ENTRY);
    byte[] networkBytes = entries.get(NETWORK_ENTRY);
    if (infoBytes == null || networkBytes == null) {
      throw new Dl4jModelFormatException(file + ": not a Drift4j DL4J model: it must hold entries " + INFO_ENTRY
          + " and " + NETWORK_ENTRY + ", but held " + entries.keySet());
    }
    Dl4jModelInfo info = parseInfo(file, infoBytes);
    Model model;
    try {
      model = Networks.deserialize(networkBytes, "ComputationGraph".equals(info.networkType()));
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

  private static Map<String, byte[]> readZip(InputStream in, String file) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Streams.nonClosing(in))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        zip.transferTo(bytes);
        entries.put(entry.getName(), bytes.toByteArray());
      }
    } catch (ZipException | EOFException e) {
      throw new Dl4jModelFormatException(file + ": not a readable zip file (truncated or corrupt model): "
          + e.getMessage(), e);
    }
    if (entries.isEmpty()) {
      throw new Dl4jModelFormatException(file + ": not a Drift4j DL4J model: not a zip file, or an empty one");
    }
    return entries;
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
      return JSON.treeToValue(node, Dl4jModelInfo.class);
    } catch (Dl4jModelFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new Dl4jModelFormatException(file + ": " + INFO_ENTRY + " is not valid: " + e.getMessage(), e);
    }
  }
}
