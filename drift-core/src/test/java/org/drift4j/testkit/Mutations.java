package org.drift4j.testkit;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of valid files for the fuzz tests: bit flips, byte changes, truncation,
 * appended, removed or repeated bytes, and big-endian header fields set to values that break
 * size arithmetic. Shared by every module's fuzz tests.
 */
public final class Mutations {

  /** A mutated file and the steps that made it, to reproduce a failure by hand. */
  public record Mutated(byte[] bytes, List<String> steps) {}

  private static final int[] FIELD_VALUES = {0, 1, -1, 2, 255, 256, 65_535, 65_536, 10_000, 46_341, 1_000_000,
      100_000_000, 134_217_728, 1_000_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE};

  private Mutations() {}

  /**
   * One to three mutations of {@code original}.
   *
   * @param fields offsets of 4-byte big-endian header fields worth setting to odd values
   */
  public static Mutated apply(byte[] original, SplittableRandom random, int[] fields) {
    byte[] b = original.clone();
    List<String> steps = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int m = 0; m < count; m++) {
      int kind = random.nextInt(fields.length == 0 ? 6 : 7);
      if (b.length == 0) {
        kind = 3;
      }
      switch (kind) {
        case 0 -> {
          int flips = 1 + random.nextInt(8);
          for (int f = 0; f < flips; f++) {
            int at = random.nextInt(b.length);
            int bit = random.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            steps.add("flip bit " + bit + " of byte " + at);
          }
        }
        case 1 -> {
          int length = random.nextInt(b.length);
          b = Arrays.copyOf(b, length);
          steps.add("truncate to " + length);
        }
        case 2 -> {
          int at = random.nextInt(b.length);
          b[at] = (byte) random.nextInt(256);
          steps.add("set byte " + at + " to " + (b[at] & 0xFF));
        }
        case 3 -> {
          int n = 1 + random.nextInt(64);
          byte[] extra = new byte[n];
          if (random.nextBoolean()) {
            random.nextBytes(extra);
          }
          int old = b.length;
          b = Arrays.copyOf(b, old + n);
          System.arraycopy(extra, 0, b, old, n);
          steps.add("append " + n + " bytes");
        }
        case 4 -> {
          int from = random.nextInt(b.length);
          int to = Math.min(b.length, from + 1 + random.nextInt(32));
          byte[] cut = new byte[b.length - (to - from)];
          System.arraycopy(b, 0, cut, 0, from);
          System.arraycopy(b, to, cut, from, b.length - to);
          b = cut;
          steps.add("remove bytes " + from + " to " + to);
        }
        case 5 -> {
          int from = random.nextInt(b.length);
          int to = Math.min(b.length, from + 1 + random.nextInt(32));
          byte[] longer = new byte[b.length + (to - from)];
          System.arraycopy(b, 0, longer, 0, to);
          System.arraycopy(b, from, longer, to, b.length - from);
          b = longer;
          steps.add("repeat bytes " + from + " to " + to);
        }
        default -> {
          int at = fields[random.nextInt(fields.length)];
          if (at + 4 > b.length) {
            continue;
          }
          ByteBuffer buffer = ByteBuffer.wrap(b);
          int old = buffer.getInt(at);
          int value = switch (random.nextInt(4)) {
            case 0 -> old + 1;
            case 1 -> old - 1;
            case 2 -> random.nextInt();
            default -> FIELD_VALUES[random.nextInt(FIELD_VALUES.length)];
          };
          buffer.putInt(at, value);
          steps.add("set field at " + at + " from " + old + " to " + value);
        }
      }
    }
    return new Mutated(b, steps);
  }
}
