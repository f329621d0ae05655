package org.drift4j.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a JSON array of numbers (or of strings), flat or nested to any rectangular depth, into a growing float
 * buffer, and records its dimensions: what tensor {@code data} and v1 instances are made of.
 * Not thread-safe: one per request.
 */
final class NestedArrays {

  /** Deeper nesting than this is refused: no image tensor needs it. */
  static final int MAX_DEPTH = 6;

  private final long maxValues;
  private final String tooMany;
  private final int maxStrings;
  private final List<String> strings = new ArrayList<>();
  private float[] values = new float[1024];
  private int count;

  /**
   * @param maxValues the most numbers all arrays read by this reader may hold together
   * @param maxStrings the most strings
   * @param tooMany the message when they hold more
   */
  NestedArrays(long maxValues, int maxStrings, String tooMany) {
    this.maxStrings = maxStrings;
    this.maxValues = Math.max(1, Math.min(maxValues, Integer.MAX_VALUE - 8));
    this.tooMany = tooMany;
  }

  /** {@return the values read so far, in order (a trimmed copy)} */
  float[] values() {
    return Arrays.copyOf(values, count);
  }

  /** {@return the strings read so far, in order (base64 images)} */
  List<String> strings() {
    return strings;
  }

  /** {@return how many numbers were read so far} */
  int count() {
    return count;
  }

  /**
   * Reads the array at the parser's current token (START_ARRAY) to its end.
   *
   * @param what how messages name the array, e.g. "inputs[0].data"
   * @return its dimensions, outermost first
   * @throws RequestException if it is ragged, nests too deep, holds something other than numbers,
   *     or makes the values exceed the limit
   */
  long[] read(JsonParser p, String what) throws RequestException, IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new RequestException(Reason.MALFORMED, what + " must be an array, but was " + Payloads.describe(p));
    }
    long[] dims = new long[MAX_DEPTH];
    Arrays.fill(dims, -1);
    int[] leafDepth = {-1};
    int deepest = readLevel(p, what, 0, dims, leafDepth);
    return Arrays.copyOf(dims, deepest + 1);
  }

  /** Reads one array level; returns the deepest level it reached. */
  private int readLevel(JsonParser p, String what, int depth, long[] dims, int[] leafDepth)
      throws RequestException, IOException {
    if (depth >= MAX_DEPTH) {
      throw new RequestException(Reason.MALFORMED, what + " nests deeper than " + MAX_DEPTH + " levels");
    }
    long length = 0;
    int deepest = depth;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.START_ARRAY) {
        if (leafDepth[0] >= 0 && leafDepth[0] <= depth) {
          throw ragged(what);
        }
        deepest = Math.max(deepest, readLevel(p, what, depth + 1, dims, leafDepth));
      } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        if (leafDepth[0] < 0) {
          leafDepth[0] = depth;
        } else if (leafDepth[0] != depth) {
          throw ragged(what);
        }
        add(p.getFloatValue());
      } else if (t == JsonToken.VALUE_STRING) {
        if (leafDepth[0] < 0) {
          leafDepth[0] = depth;
        } else if (leafDepth[0] != depth) {
          throw ragged(what);
        }
        if (strings.size() >= maxStrings) {
          throw new RequestException(Reason.TOO_MANY_IMAGES, tooMany);
        }
        strings.add(p.getText());
      } else if (t == null) {
        throw new RequestException(Reason.MALFORMED, what + " ends before its array closes (truncated body)");
      } else {
        throw new RequestException(Reason.MALFORMED, what + " must hold only numbers or only strings (nested"
            + " arrays of them), but held " + Payloads.describe(p));
      }
      length++;
    }
    if (dims[depth] < 0) {
      dims[depth] = length;
    } else if (dims[depth] != length) {
      throw new RequestException(Reason.MALFORMED, what + " is ragged: arrays at depth " + depth + " hold "
          + dims[depth] + " and " + length + " elements");
    }
    return deepest;
  }

  private static RequestException ragged(String what) {
    return new RequestException(Reason.MALFORMED, what + " is ragged: numbers and arrays are mixed at one depth,"
        + " or its arrays nest to different depths");
  }

  private void add(float v) throws RequestException {
    if (count >= maxValues) {
      throw new RequestException(Reason.TOO_MANY_IMAGES, tooMany);
    }
    if (count == values.length) {
      values = Arrays.copyOf(values, (int) Math.min(maxValues, 2L * values.length));
    }
    values[count++] = v;
  }
}
