package org.drift4j.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.drift4j.ImageBatch;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ImageShape;

/**
 * Reads inference request bodies into a batch of the model's shape, streaming (no JSON tree):
 *
 * <ul>
 *   <li>Open Inference Protocol (KServe v2): {@code {"id"?, "parameters"?, "inputs": [{"name",
 *       "shape", "datatype", "parameters"?, "data"}], "outputs"?}} with one input; datatype FP32
 *       or FP64 (pixels in [0, 1]), UINT8 (0–255), or BYTES (base64 PNG/JPEG, shape [N] or [N, 1]);
 *       {@code data} flat or nested.
 *   <li>v1 (TF-Serving style): {@code {"instances": [...]}}, each instance a nested array of
 *       pixels in [0, 1] (one image, without the batch axis) or a base64 image, {@code {"b64": ...}}
 *       or {@code {"image": {"b64": ...}}}.
 * </ul>
 *
 * Tensor layouts are those of {@link TensorLayout}; a layout is named by the input's
 * {@code parameters.layout}, the request's {@code parameters.layout} or the {@code layout} query
 * parameter, in that order. Thread-safe (stateless beyond its settings).
 */
final class Payloads {

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * A request read.
   *
   * @param id the request's {@code id}, or null
   * @param inputName the v2 input's name, or "instances"
   * @param batch the images
   */
  record Parsed(String id, String inputName, ImageBatch batch) {}

  private final ImageShape shape;
  private final ImagePreprocessing preprocessing;
  private final ImageDecoding images;
  private final int maxImages;

  Payloads(ImageShape shape, ImagePreprocessing preprocessing, ImageDecoding images, int maxImages) {
    this.shape = shape;
    this.preprocessing = preprocessing;
    this.images = images;
    this.maxImages = maxImages;
  }

  /**
   * Reads a v2 or v1 JSON body.
   *
   * @param layoutQuery the {@code layout} query parameter, or null
   * @throws RequestException naming what is wrong: 400 malformed, 413 too many images, 422 shape
   */
  Parsed read(byte[] body, String layoutQuery) throws RequestException {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RequestException(Reason.MALFORMED, "the body must be a JSON object with \"inputs\" (v2) or"
            + " \"instances\" (v1), but was " + describe(p));
      }
      String id = null;
      String layout = null;
      Parsed parsed = null;
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
          case "parameters" -> layout = readLayout(p, "parameters");
          case "inputs", "instances" -> {
            if (parsed != null) {
              throw new RequestException(Reason.MALFORMED, "the body must hold \"inputs\" or \"instances\", not both");
            }
            parsed = field.equals("inputs") ? readInputs(p, layout == null ? layoutQuery : layout)
                : readInstances(p, layoutQuery);
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new RequestException(Reason.MALFORMED, "the body is not a complete JSON object (truncated?)");
      }
      if (parsed == null) {
        throw new RequestException(Reason.MALFORMED, "the body must hold \"inputs\" (v2) or \"instances\" (v1),"
            + " but held neither");
      }
      return new Parsed(id, parsed.inputName(), parsed.batch());
    } catch (JsonProcessingException e) {
      throw new RequestException(Reason.MALFORMED, "the body is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new RequestException(Reason.MALFORMED, "the body could not be read: " + e.getMessage(), e);
    }
  }

  private Parsed readInputs(JsonParser p, String layoutHint) throws RequestException, IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new RequestException(Reason.MALFORMED, "Expected \"inputs\" to be a list, but was " + describe(p));
    }
    Parsed first = null;
    int index = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
      if (index > 0) {
        throw new RequestException(Reason.MALFORMED, "\"inputs\" must hold exactly 1 tensor (the images), but held more");
      }
      first = readInput(p, layoutHint);
    }
    if (first == null) {
      throw new RequestException(Reason.MALFORMED, "\"inputs\" must hold exactly 1 tensor (the images), but was empty");
    }
    return first;
  }

  private Parsed readInput(JsonParser p, String layoutHint) throws RequestException, IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new RequestException(Reason.MALFORMED, "inputs[0] must be an object, but was " + describe(p));
    }
    String name = null;
    String datatype = null;
    long[] declared = null;
    String layout = layoutHint;
    NestedArrays data = new NestedArrays((long) maxImages * shape.size(), maxImages, tooMany());
    long[] nested = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "name" -> name = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
        case "datatype" -> datatype = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
        case "shape" -> declared = readShape(p);
        case "parameters" -> {
          String named = readLayout(p, "inputs[0].parameters");
          layout = named == null ? layout : named;
        }
        case "data" -> nested = data.read(p, "inputs[0].data");
        default -> p.skipChildren();
      }
    }
    String what = "input '" + (name == null ? "" : name) + "'";
    if (datatype == null || declared == null || nested == null) {
      throw new RequestException(Reason.MALFORMED, "inputs[0] must have \"datatype\", \"shape\" and \"data\", but"
          + " lacks " + (datatype == null ? "\"datatype\"" : declared == null ? "\"shape\"" : "\"data\""));
    }
    String type = datatype.toUpperCase(Locale.ROOT);
    if (data.count() > 0 && !data.strings().isEmpty()) {
      throw new RequestException(Reason.MALFORMED, what + " mixes numbers and strings in its data");
    }
    if (type.equals("BYTES")) {
      if (data.count() > 0) {
        throw new RequestException(Reason.MALFORMED, what + " has datatype BYTES but holds numbers");
      }
      return new Parsed(null, name, encodedImages(data.strings(), declared, what));
    }
    if (!data.strings().isEmpty()) {
      throw new RequestException(Reason.MALFORMED, what + " has datatype " + datatype + " but holds strings");
    }
    if (!type.equals("FP32") && !type.equals("FP64") && !type.equals("UINT8")) {
      throw new RequestException(Reason.MALFORMED, what + " has datatype " + datatype
          + ", but images are read from FP32 or FP64 (pixels in [0, 1]), UINT8 (0-255) or BYTES (encoded images)");
    }
    TensorLayout tensorLayout = TensorLayout.of(what, declared, shape, layout);
    long expected = product(declared);
    if (nested.length > 1 && !Arrays.equals(nested, declared)) {
      throw new RequestException(Reason.MALFORMED, what + " declares shape " + Arrays.toString(declared)
          + ", but its nested data has shape " + Arrays.toString(nested));
    }
    if (data.count() != expected) {
      throw new RequestException(Reason.MALFORMED, what + " declares shape " + Arrays.toString(declared) + " ("
          + expected + " values), but its data holds " + data.count());
    }
    return new Parsed(null, name, tensorBatch(data.values(), (int) declared[0], tensorLayout, type, what));
  }

  private Parsed readInstances(JsonParser p, String layoutHint) throws RequestException, IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new RequestException(Reason.MALFORMED, "Expected \"instances\" to be a list, but was " + describe(p));
    }
    NestedArrays pixels = new NestedArrays((long) maxImages * shape.size(), maxImages, tooMany());
    List<String> encoded = new ArrayList<>();
    long[] first = null;
    int index = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
      if (index >= maxImages) {
        throw new RequestException(Reason.TOO_MANY_IMAGES, tooMany());
      }
      String what = "instances[" + index + "]";
      if (t == JsonToken.START_OBJECT) {
        encoded.add(readB64(p, what));
      } else if (t == JsonToken.START_ARRAY) {
        long[] dims = pixels.read(p, what);
        if (first == null) {
          first = dims;
        } else if (!Arrays.equals(first, dims)) {
          throw new RequestException(Reason.MALFORMED, what + " has shape " + Arrays.toString(dims)
              + ", but instances[0] has " + Arrays.toString(first));
        }
      } else if (t == null) {
        throw new RequestException(Reason.MALFORMED, "\"instances\" ends before its list closes (truncated body)");
      } else {
        throw new RequestException(Reason.MALFORMED, what + " must be an image: a nested array of pixels or"
            + " {\"b64\": ...}, but was " + describe(p));
      }
    }
    if (index == 0) {
      throw new RequestException(Reason.MALFORMED, "\"instances\" must hold at least 1 image, but was empty");
    }
    if (!encoded.isEmpty() && first != null) {
      throw new RequestException(Reason.MALFORMED, "\"instances\" mixes pixel arrays and base64 images");
    }
    if (!pixels.strings().isEmpty()) {
      throw new RequestException(Reason.MALFORMED, "\"instances\" pixel arrays must hold numbers, but held strings");
    }
    if (!encoded.isEmpty()) {
      return new Parsed(null, "instances", encodedImages(encoded, new long[] {encoded.size()}, "instances"));
    }
    long[] dims = new long[first.length + 1];
    dims[0] = index;
    System.arraycopy(first, 0, dims, 1, first.length);
    TensorLayout layout = TensorLayout.of("instances", dims, shape, layoutHint);
    return new Parsed(null, "instances", tensorBatch(pixels.values(), index, layout, "FP32", "instances"));
  }

  /** Reads {@code {"b64": "..."}} or {@code {"<key>": {"b64": "..."}}} at the current START_OBJECT. */
  private static String readB64(JsonParser p, String what) throws RequestException, IOException {
    String found = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("b64") && value == JsonToken.VALUE_STRING && found == null) {
        found = p.getText();
      } else if (value == JsonToken.START_OBJECT && found == null) {
        found = readB64(p, what + "." + field);
      } else {
        throw new RequestException(Reason.MALFORMED, what + " must be {\"b64\": \"<base64 image>\"} or"
            + " {\"<name>\": {\"b64\": ...}}, but held field \"" + field + "\"");
      }
    }
    if (found == null) {
      throw new RequestException(Reason.MALFORMED, what + " must hold {\"b64\": \"<base64 image>\"}");
    }
    return found;
  }

  private ImageBatch encodedImages(List<String> encoded, long[] declared, String what) throws RequestException {
    if (!(declared.length == 1 || (declared.length == 2 && declared[1] == 1)) || declared[0] != encoded.size()) {
      throw new RequestException(Reason.WRONG_SHAPE, what + " holds " + encoded.size() + " encoded images and has"
          + " shape " + Arrays.toString(declared) + ", but encoded images need shape [N] or [N, 1] with N = "
          + encoded.size());
    }
    List<BufferedImage> decoded = new ArrayList<>(encoded.size());
    for (int i = 0; i < encoded.size(); i++) {
      byte[] bytes;
      try {
        bytes = Base64.getMimeDecoder().decode(encoded.get(i));
      } catch (IllegalArgumentException e) {
        throw new RequestException(Reason.MALFORMED, what + " image " + i + " is not base64: " + e.getMessage(), e);
      }
      decoded.add(images.decode(bytes, what + " image " + i));
    }
    return images.batch(decoded);
  }

  private ImageBatch tensorBatch(float[] values, int count, TensorLayout layout, String type, String what)
      throws RequestException {
    if (count == 0) {
      throw new RequestException(Reason.MALFORMED, what + " holds no image");
    }
    if (count > maxImages) {
      throw new RequestException(Reason.TOO_MANY_IMAGES, tooMany());
    }
    if (!preprocessing.equals(ImagePreprocessing.none())) {
      throw new RequestException(Reason.WRONG_SHAPE, "the baseline's images were made with preprocessing "
          + preprocessing + ", which a tensor cannot claim: send the encoded images (BYTES, {\"b64\": ...}, or"
          + " PNG/JPEG to /v1/observe)");
    }
    if (type.equals("UINT8")) {
      for (int k = 0; k < values.length; k++) {
        float v = values[k];
        if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
          throw pixel(what, k, v, "an integer in 0-255 (UINT8)");
        }
        values[k] = v / 255f;
      }
    } else {
      for (int k = 0; k < values.length; k++) {
        float v = values[k];
        if (!(v >= 0 && v <= 1)) {
          throw pixel(what, k, v, "a value in [0, 1] (" + type + "; send 0-255 pixels as UINT8)");
        }
      }
    }
    return ImageBatch.ofFlat(shape, layout.toChw(values, count, shape));
  }

  private RequestException pixel(String what, int k, float v, String expected) {
    return new RequestException(Reason.INVALID_PIXELS, what + " value " + k + " (image " + (k / shape.size())
        + ") must be " + expected + ", but was " + v);
  }

  private String tooMany() {
    return "the request holds more than " + maxImages + " images of " + shape + ": at most " + maxImages
        + " images are accepted per request";
  }

  private static long[] readShape(JsonParser p) throws RequestException, IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new RequestException(Reason.MALFORMED, "\"shape\" must be a list of integers, but was " + describe(p));
    }
    long[] dims = new long[8];
    int n = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || n == dims.length) {
        throw new RequestException(Reason.MALFORMED, "\"shape\" must be a list of at most 8 non-negative integers,"
            + " but held " + describe(p));
      }
      dims[n++] = p.getLongValue();
    }
    return Arrays.copyOf(dims, n);
  }

  /** Reads a parameters object at the current token, returning its "layout" string or null. */
  private static String readLayout(JsonParser p, String what) throws RequestException, IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new RequestException(Reason.MALFORMED, what + " must be an object, but was " + describe(p));
    }
    String layout = null;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("layout") && value == JsonToken.VALUE_STRING) {
        layout = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return layout;
  }

  private static String skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static long product(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n = d > 0 && n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
    }
    return n;
  }

  /** {@return the parser's current token in words, for messages} */
  static String describe(JsonParser p) {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "the end of the body";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }
}
