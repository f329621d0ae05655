package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.drift4j.testkit.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Dl4jModelFileTest {

  @TempDir
  Path dir;

  private Path savedModel() throws IOException {
    Path file = dir.resolve("model.zip");
    TinyModels.trained().autoencoder().save(file);
    return file;
  }

  private static Map<String, byte[]> entries(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (var e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A deflated entry of {@code size} zero bytes, streamed so the test never holds it. */
  private static void zeros(ZipOutputStream z, String name, long size) throws IOException {
    z.putNextEntry(new ZipEntry(name));
    byte[] block = new byte[1 << 20];
    for (long left = size; left > 0; left -= block.length) {
      z.write(block, 0, (int) Math.min(block.length, left));
    }
    z.closeEntry();
  }

  @Test
  void anEntryThatInflatesFarBeyondTheFilesSizeIsStoppedAtTheLimit() throws IOException {
    Allocations.assumeCounted();
    Map<String, byte[]> valid = entries(Files.readAllBytes(savedModel()));
    Path bomb = dir.resolve("bomb.zip");
    try (OutputStream out = Files.newOutputStream(bomb); ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry(Dl4jModelFile.INFO_ENTRY));
      z.write(valid.get(Dl4jModelFile.INFO_ENTRY));
      z.closeEntry();
      zeros(z, Dl4jModelFile.NETWORK_ENTRY, 400L << 20);
    }
    long size = Files.size(bomb);
    long limit = Dl4jModelFile.MAX_EXPANSION * size + (1L << 20);
    assertThat(size).isLessThan(1L << 20);
    long before = Allocations.sofar();
    assertThatThrownBy(() -> Dl4jAutoencoder.load(bomb))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessage(bomb + ": entry network.zip inflates past the " + limit + " bytes this file may inflate to (100 times"
            + " its " + size + " bytes plus 1 MiB, at most 1073741824); a zip bomb or a corrupt model");
    assertThat(Allocations.sofar() - before).as("bytes allocated").isLessThan(3 * limit + (64L << 20));
  }

  @Test
  void anEntryWhoseHeaderDeclaresTooMuchIsRefusedBeforeInflating() throws IOException {
    // a stored entry: its local header carries its size; declare 2 GiB - 1
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      ZipEntry e = new ZipEntry(Dl4jModelFile.INFO_ENTRY);
      byte[] content = "{}".getBytes(StandardCharsets.UTF_8);
      e.setMethod(ZipEntry.STORED);
      e.setSize(content.length);
      e.setCompressedSize(content.length);
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(content);
      e.setCrc(crc.getValue());
      z.putNextEntry(e);
      z.write(content);
      z.closeEntry();
    }
    byte[] zip = bytes.toByteArray();
    ByteBuffer header = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(18, Integer.MAX_VALUE).putInt(22, Integer.MAX_VALUE);
    Path file = dir.resolve("liar.zip");
    Files.write(file, zip);
    assertThatThrownBy(() -> Dl4jAutoencoder.load(file))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessage(file + ": entry drift4j-model.json declares 2147483647 bytes, more than the 1048576 it may hold");
  }

  @Test
  void anUnknownEntryIsRefusedByName() throws IOException {
    Map<String, byte[]> entries = entries(Files.readAllBytes(savedModel()));
    entries.put("payload.bin", new byte[] {1, 2, 3});
    Path file = dir.resolve("extra.zip");
    Files.write(file, zip(entries));
    assertThatThrownBy(() -> Dl4jAutoencoder.load(file))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessage(file + ": not a Drift4j DL4J model: entry payload.bin is none of drift4j-model.json, network.zip,"
            + " the only entries it may hold");
  }

  @Test
  void anEntryNameThatIsNotUtf8IsAFormatProblem() throws IOException {
    byte[] bytes = zip(Map.of("ab", new byte[] {1}));
    // the local header's name starts at offset 30: 0xC3 0x28 is not UTF-8
    bytes[30] = (byte) 0xC3;
    bytes[31] = (byte) 0x28;
    Path file = dir.resolve("name.zip");
    Files.write(file, bytes);
    assertThatThrownBy(() -> Dl4jAutoencoder.load(file))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessageStartingWith(file + ": not a readable zip file (truncated or corrupt model): ");
  }

  @Test
  void anEntryThatOccursTwiceIsRefused() throws IOException {
    Map<String, byte[]> valid = entries(Files.readAllBytes(savedModel()));
    Map<String, byte[]> twice = new LinkedHashMap<>();
    twice.put(Dl4jModelFile.INFO_ENTRY, valid.get(Dl4jModelFile.INFO_ENTRY));
    twice.put("drift4j-model.jsoX", valid.get(Dl4jModelFile.INFO_ENTRY));
    twice.put(Dl4jModelFile.NETWORK_ENTRY, valid.get(Dl4jModelFile.NETWORK_ENTRY));
    // ZipOutputStream refuses a second entry of one name: rename the second in place
    String text = new String(zip(twice), StandardCharsets.ISO_8859_1).replace("drift4j-model.jsoX", "drift4j-model.json");
    Path file = dir.resolve("twice.zip");
    Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Dl4jAutoencoder.load(file))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessage(file + ": entry drift4j-model.json occurs twice; a model holds each entry once");
  }

  @Test
  void parametersWhoseHeaderDeclaresValuesThatAreNotThereAreRefusedBeforeNd4jAllocatesThem() throws IOException {
    Map<String, byte[]> entries = entries(Files.readAllBytes(savedModel()));
    Map<String, byte[]> network = entries(entries.get(Dl4jModelFile.NETWORK_ENTRY));
    ByteArrayOutputStream lie = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(lie)) {
      out.writeUTF("MIXED_DATA_TYPES");
      out.writeLong(6);
      out.writeUTF("LONG");
      for (long v : new long[] {2, 1, 1 << 30, 1 << 30, 1, 0}) {
        out.writeLong(v);
      }
      out.writeUTF("MIXED_DATA_TYPES");
      out.writeLong(1L << 30);
      out.writeUTF("FLOAT");
      out.write(new byte[64]);
    }
    network.put("coefficients.bin", lie.toByteArray());
    entries.put(Dl4jModelFile.NETWORK_ENTRY, zip(network));
    Path file = dir.resolve("params.zip");
    Files.write(file, zip(entries));
    assertThatThrownBy(() -> Dl4jAutoencoder.load(file))
        .isInstanceOf(Dl4jModelFormatException.class)
        .hasMessage(file + ": entry network.zip/coefficients.bin: the data header declares 1073741824 values of type"
            + " 'FLOAT' but 64 bytes follow it");
  }

  @Test
  void aDataFormatOrNetworkTypeOutsideTheKnownValuesIsNamed() throws IOException {
    for (String[] edit : new String[][] {{"\"dataFormat\" : \"N[A-Z]+\"", "\"dataFormat\" : \"XYZ\"",
        "drift4j-model.json: dataFormat must be NCHW or NHWC, but was 'XYZ'"},
        {"\"networkType\" : \"MultiLayerNetwork\"", "\"networkType\" : \"Graph\"",
        "drift4j-model.json: networkType must be MultiLayerNetwork or ComputationGraph, but was 'Graph'"}}) {
      Map<String, byte[]> entries = entries(Files.readAllBytes(savedModel()));
      String info = new String(entries.get(Dl4jModelFile.INFO_ENTRY), StandardCharsets.UTF_8);
      assertThat(info).containsPattern(edit[0]);
      entries.put(Dl4jModelFile.INFO_ENTRY, info.replaceAll(edit[0], edit[1]).getBytes(StandardCharsets.UTF_8));
      Path file = dir.resolve("edited.zip");
      Files.write(file, zip(entries));
      assertThatThrownBy(() -> Dl4jAutoencoder.load(file))
          .isInstanceOf(Dl4jModelFormatException.class)
          .hasMessage(file + ": " + edit[2]);
    }
  }
}
