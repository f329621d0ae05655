package org.drift4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.drift4j.internal.AtomicFiles;
import org.drift4j.internal.Streams;

/**
 * Saves and loads {@link Baseline}s as JSON files.
 *
 * <p>Writes are atomic: the JSON goes to a temporary file in the target's directory, is flushed to
 * disk, then moved over the target in one step, so a crash mid-write leaves either the old file or
 * the new one, never a truncated one. Reads verify the format marker, the schema version, every
 * field, the content id and the summary fields (count, mean, standard deviation, quantiles, which
 * must equal what the errors give), and refuse a key that occurs twice, so a corrupt, truncated,
 * edited or newer-version file is refused with a {@link BaselineFormatException} that says which.
 *
 * <p>Stateless and thread-safe; concurrent writers to one path each leave a complete file (the
 * last move wins).
 */
public final class BaselineStore {

  /** The value of the {@code format} field that marks a Drift4j baseline. */
  public static final String FORMAT = "drift4j-baseline";

  /**
   * The schema version this library writes and the newest it reads. Version 2 added the
   * preprocessing and the per-pixel error statistics; version 1 files still read, with
   * preprocessing {@code none} and no pixel statistics.
   */
  public static final int SCHEMA_VERSION = 2;

  private static final double[] SUMMARY_QUANTILES = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999};

  private BaselineStore() {}

  /**
   * Writes {@code baseline} to {@code path} atomically, creating parent directories.
   *
   * @param baseline the baseline
   * @param path where to write it
   * @throws IOException if the file cannot be written; the previous file, if any, is untouched
   */
  public static void write(Baseline baseline, Path path) throws IOException {
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(path, "path");
    AtomicFiles.write(path, toJson(baseline).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a baseline written by {@link #write}.
   *
   * @param path the file
   * @return the baseline
   * @throws NoSuchFileException if the file does not exist
   * @throws BaselineFormatException if the file is not a valid baseline of a supported version
   * @throws IOException if the file cannot be read
   */
  public static Baseline read(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    return parse(Files.readAllBytes(path), path.toString());
  }

  /**
   * Reads a baseline from a stream, with the same checks as a file. The stream is read to its end
   * and not closed.
   *
   * @param in the baseline's JSON, UTF-8
   * @param source what the stream is, for messages (a resource name or URL)
   * @return the baseline
   * @throws BaselineFormatException if the bytes are not a valid baseline of a supported version
   * @throws IOException if the stream cannot be read
   */
  public static Baseline read(InputStream in, String source) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    return parse(in.readAllBytes(), source);
  }

  /**
   * Reads a baseline from a URL: a {@code file:} URL, a class-path resource ({@code jar:} or
   * {@code file:}, as {@link Class#getResource} gives) or {@code http(s):}.
   *
   * @param url where the baseline is
   * @return the baseline
   * @throws java.io.FileNotFoundException if nothing is at the URL
   * @throws BaselineFormatException if it is not a valid baseline of a supported version
   * @throws IOException if the URL cannot be read
   */
  public static Baseline read(URL url) throws IOException {
    Objects.requireNonNull(url, "url");
    try (InputStream in = Streams.open(url)) {
      return read(in, url.toString());
    }
  }

  private static Baseline parse(byte[] bytes, String source) throws BaselineFormatException {
    String json;
    try {
      json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new BaselineFormatException(source + ": not UTF-8 text (corrupt, or not a baseline file)", e);
    }
    try {
      return fromJson(json);
    } catch (BaselineFormatException e) {
      throw new BaselineFormatException(source + ": " + e.getMessage(), e.getCause());
    }
  }

  /**
   * The JSON form of a baseline, as {@link #write} stores it.
   *
   * @param baseline the baseline
   * @return the JSON text
   */
  public static String toJson(Baseline baseline) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("id", baseline.id());
    root.put("errorMeasure", baseline.errorMeasure().name());
    ObjectNode shape = root.putObject("shape");
    shape.put("channels", baseline.shape().channels());
    shape.put("height", baseline.shape().height());
    shape.put("width", baseline.shape().width());
    root.put("autoencoderFingerprint", baseline.autoencoderFingerprint());
    root.put("createdAt", baseline.createdAt().toString());
    root.put("preprocessing", baseline.preprocessing().id());
    root.put("count", baseline.count());
    root.put("mean", baseline.mean());
    root.put("standardDeviation", baseline.standardDeviation());
    ObjectNode quantiles = root.putObject("quantiles");
    for (double q : SUMMARY_QUANTILES) {
      quantiles.put(Double.toString(q), baseline.quantile(q));
    }
    ArrayNode errors = root.putArray("errors");
    for (double e : baseline.sortedErrorsView()) {
      errors.add(e);
    }
    baseline.pixelStatistics().ifPresent(stats -> {
      ObjectNode pixels = root.putObject("pixelErrors");
      ArrayNode mean = pixels.putArray("mean");
      for (float v : stats.meanView()) {
        mean.add(v);
      }
      ArrayNode variance = pixels.putArray("variance");
      for (float v : stats.varianceView()) {
        variance.add(v);
      }
    });
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise a baseline", e);
    }
  }

  /**
   * Parses the JSON form of a baseline.
   *
   * @param json the JSON text
   * @return the baseline
   * @throws BaselineFormatException if the text is not a valid baseline of a supported version
   */
  public static Baseline fromJson(String json) throws BaselineFormatException {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BaselineFormatException("not valid JSON (corrupt, truncated or edited baseline file): "
          + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
      throw new BaselineFormatException("format must be \"" + FORMAT + "\", but was "
          + (root == null || !root.isObject() ? "not a JSON object" : root.path("format")));
    }
    int version = requiredInt(root, "schemaVersion");
    if (version > SCHEMA_VERSION) {
      throw new BaselineFormatException("schemaVersion " + version + " is newer than this library reads (at most "
          + SCHEMA_VERSION + "); upgrade Drift4j to load it");
    }
    if (version < 1) {
      throw new BaselineFormatException("schemaVersion must be at least 1, but was " + version);
    }
    ReconstructionError measure;
    String measureName = requiredText(root, "errorMeasure");
    try {
      measure = ReconstructionError.valueOf(measureName);
    } catch (IllegalArgumentException e) {
      throw new BaselineFormatException("errorMeasure must be one of "
          + java.util.Arrays.toString(ReconstructionError.values()) + ", but was " + measureName);
    }
    JsonNode shapeNode = root.path("shape");
    ImageShape shape;
    try {
      shape = new ImageShape(requiredInt(shapeNode, "channels"), requiredInt(shapeNode, "height"),
          requiredInt(shapeNode, "width"));
    } catch (IllegalArgumentException e) {
      throw new BaselineFormatException("shape is invalid: " + e.getMessage(), e);
    }
    Instant createdAt;
    try {
      createdAt = Instant.parse(requiredText(root, "createdAt"));
    } catch (DateTimeParseException e) {
      throw new BaselineFormatException("createdAt must be an ISO-8601 instant, but was " + root.path("createdAt"), e);
    }
    JsonNode errorsNode = root.path("errors");
    if (!errorsNode.isArray()) {
      throw new BaselineFormatException("errors must be an array of numbers, but was " + errorsNode.getNodeType());
    }
    double[] errors = new double[errorsNode.size()];
    for (int i = 0; i < errors.length; i++) {
      JsonNode e = errorsNode.get(i);
      if (!e.isNumber()) {
        throw new BaselineFormatException("errors[" + i + "] must be a number, but was " + e);
      }
      errors[i] = e.doubleValue();
    }
    int count = requiredInt(root, "count");
    if (count != errors.length) {
      throw new BaselineFormatException("count says " + count + " errors, but the file holds " + errors.length
          + " (truncated or edited file)");
    }
    Baseline baseline;
    try {
      baseline = Baseline.of(errors, measure, shape, requiredText(root, "autoencoderFingerprint"), createdAt);
      if (version >= 2) {
        baseline = baseline.withPreprocessing(ImagePreprocessing.parse(requiredText(root, "preprocessing")));
        JsonNode pixels = root.get("pixelErrors");
        if (pixels != null) {
          baseline = baseline.withPixelStatistics(PixelErrorStatistics.of(shape, errors.length,
              floats(pixels, "mean"), floats(pixels, "variance")));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new BaselineFormatException("invalid baseline: " + e.getMessage(), e);
    }
    String id = requiredText(root, "id");
    if (!id.equals(baseline.id())) {
      throw new BaselineFormatException("content does not match its id " + id + " (computed " + baseline.id()
          + "): the file was edited or corrupted");
    }
    requireSummary(root, "mean", baseline.mean());
    requireSummary(root, "standardDeviation", baseline.standardDeviation());
    JsonNode quantiles = root.path("quantiles");
    if (!quantiles.isObject()) {
      throw new BaselineFormatException("quantiles must be an object, but was " + quantiles.getNodeType());
    }
    for (double q : SUMMARY_QUANTILES) {
      requireSummary(quantiles, Double.toString(q), baseline.quantile(q));
    }
    return baseline;
  }

  /** The summary fields are written for readers of the file; they must say what the errors say. */
  private static void requireSummary(JsonNode node, String field, double expected) throws BaselineFormatException {
    JsonNode v = node.get(field);
    if (v == null || !v.isNumber()) {
      throw new BaselineFormatException(field + " must be a number, but was " + (v == null ? "missing" : v));
    }
    double found = v.doubleValue();
    if (!(Math.abs(found - expected) <= 1e-12 * Math.max(1.0, Math.abs(expected)))) {
      throw new BaselineFormatException(field + " must be " + expected + ", what the errors give, but was " + found
          + ": the file was edited or corrupted");
    }
  }

  private static float[] floats(JsonNode node, String field) throws BaselineFormatException {
    JsonNode array = node.path(field);
    if (!array.isArray()) {
      throw new BaselineFormatException("pixelErrors." + field + " must be an array of numbers, but was "
          + array.getNodeType());
    }
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = array.get(i);
      if (!v.isNumber()) {
        throw new BaselineFormatException("pixelErrors." + field + "[" + i + "] must be a number, but was " + v);
      }
      values[i] = v.floatValue();
    }
    return values;
  }

  private static int requiredInt(JsonNode node, String field) throws BaselineFormatException {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new BaselineFormatException(field + " must be an integer, but was " + (v == null ? "missing" : v));
    }
    return v.intValue();
  }

  private static String requiredText(JsonNode node, String field) throws BaselineFormatException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new BaselineFormatException(field + " must be a string, but was " + (v == null ? "missing" : v));
    }
    return v.asText();
  }
}
