package org.drift4j;

import java.util.ArrayList;
import java.util.List;
import org.drift4j.DriftExplanation.Direction;
import org.drift4j.DriftExplanation.Region;

/**
 * From significant pixels to regions and words: groups each direction's significant pixels
 * (any channel) 8-connected, decides whether they form a region, cover the image or are
 * scattered, and says so. Stateless.
 */
final class ExplanationSummary {

  /** At least this share of the image significant one way: a change across the image. */
  static final double ACROSS_SHARE = 0.5;
  /** A region's group holds at least this share of the direction's significant pixels ... */
  static final double REGION_MIN_SHARE = 0.5;
  /** ... and fills at least this share of its bounding box. */
  static final double REGION_MIN_DENSITY = 0.5;

  private static final String[] RGB = {"red", "green", "blue"};

  /** What one direction's significant pixels look like. */
  enum Kind { NONE, REGION, ACROSS, SCATTERED }

  /**
   * @param kind the pattern
   * @param share the share of the image's pixels significant this way (any channel)
   * @param region the region when {@code kind} is REGION, else null
   */
  record Finding(Direction direction, Kind kind, double share, Region region) {}

  /** The regions and the sentence. */
  record Summary(List<Region> regions, String text) {}

  private ExplanationSummary() {}

  static Summary of(ImageShape shape, byte[] significance, float[] z, double meanError, double baselineMean) {
    Finding up = find(shape, significance, z, Direction.UP);
    Finding down = find(shape, significance, z, Direction.DOWN);
    List<Finding> ordered = down.share() > up.share() ? List.of(down, up) : List.of(up, down);
    List<Region> regions = new ArrayList<>();
    List<String> phrases = new ArrayList<>();
    for (Finding f : ordered) {
      if (f.region() != null) {
        regions.add(f.region());
      }
      if (f.kind() != Kind.NONE) {
        phrases.add(phrase(shape, f));
      }
    }
    StringBuilder text = new StringBuilder();
    text.append(phrases.isEmpty() ? "no pixel departs significantly from the baseline" : String.join("; ", phrases));
    if (baselineMean > 0) {
      text.append("; mean error ").append(Decimals.fixed(100 * (meanError - baselineMean) / baselineMean, 1, true))
          .append("% over the baseline's");
    }
    text.setCharAt(0, Character.toUpperCase(text.charAt(0)));
    return new Summary(regions, text.append('.').toString());
  }

  static Finding find(ImageShape shape, byte[] significance, float[] z, Direction direction) {
    int h = shape.height();
    int w = shape.width();
    int plane = h * w;
    byte sign = (byte) (direction == Direction.UP ? 1 : -1);
    boolean[] mask = new boolean[plane];
    int count = 0;
    for (int k = 0; k < significance.length; k++) {
      if (significance[k] == sign && !mask[k % plane]) {
        mask[k % plane] = true;
        count++;
      }
    }
    double share = count / (double) plane;
    if (count == 0) {
      return new Finding(direction, Kind.NONE, 0, null);
    }
    if (share >= ACROSS_SHARE) {
      return new Finding(direction, Kind.ACROSS, share, null);
    }
    int[] group = largestGroup(mask, h, w);
    int top = h;
    int left = w;
    int bottom = -1;
    int right = -1;
    for (int p : group) {
      top = Math.min(top, p / w);
      bottom = Math.max(bottom, p / w);
      left = Math.min(left, p % w);
      right = Math.max(right, p % w);
    }
    int height = bottom - top + 1;
    int width = right - left + 1;
    if (group.length < REGION_MIN_SHARE * count || group.length < REGION_MIN_DENSITY * height * width) {
      return new Finding(direction, Kind.SCATTERED, share, null);
    }
    boolean[] inGroup = new boolean[plane];
    for (int p : group) {
      inGroup[p] = true;
    }
    List<Integer> channels = new ArrayList<>();
    for (int c = 0; c < shape.channels(); c++) {
      for (int p : group) {
        if (significance[c * plane + p] == sign) {
          channels.add(c);
          break;
        }
      }
    }
    double peak = 0;
    for (int c = 0; c < shape.channels(); c++) {
      for (int y = top; y <= bottom; y++) {
        for (int x = left; x <= right; x++) {
          float v = z[c * plane + y * w + x];
          peak = sign > 0 ? Math.max(peak, v) : Math.min(peak, v);
        }
      }
    }
    Region region = new Region(direction, top, left, height, width, channels, group.length / (double) (height * width),
        peak);
    return new Finding(direction, Kind.REGION, share, region);
  }

  /** The pixels of the largest 8-connected group of {@code mask} (the first found on a tie). */
  static int[] largestGroup(boolean[] mask, int h, int w) {
    int[] label = new int[mask.length];
    int[] queue = new int[mask.length];
    int best = 0;
    int bestSize = 0;
    int next = 0;
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || label[start] != 0) {
        continue;
      }
      int id = ++next;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      label[start] = id;
      while (head < tail) {
        int p = queue[head++];
        int y = p / w;
        int x = p % w;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int ny = y + dy;
            int nx = x + dx;
            if (ny >= 0 && ny < h && nx >= 0 && nx < w && mask[ny * w + nx] && label[ny * w + nx] == 0) {
              label[ny * w + nx] = id;
              queue[tail++] = ny * w + nx;
            }
          }
        }
      }
      if (tail > bestSize) {
        bestSize = tail;
        best = id;
      }
    }
    int[] group = new int[bestSize];
    int g = 0;
    for (int p = 0; p < mask.length; p++) {
      if (label[p] == best) {
        group[g++] = p;
      }
    }
    return group;
  }

  static String phrase(ImageShape shape, Finding f) {
    boolean up = f.direction() == Direction.UP;
    String percent = percent(f.share());
    return switch (f.kind()) {
      case ACROSS -> up ? "uniform rise across the image (" + percent + " of pixels up)"
          : "errors down across the image (" + percent + " of pixels): images simpler than the baseline's";
      case SCATTERED -> "errors " + (up ? "up" : "down") + " at scattered pixels (" + percent
          + " of the image), in no single region";
      case REGION -> regionPhrase(shape, f.region());
      case NONE -> "";
    };
  }

  private static String regionPhrase(ImageShape shape, Region r) {
    StringBuilder s = new StringBuilder("errors ").append(r.direction() == Direction.UP ? "up" : "down")
        .append(" in the ").append(position(shape, r)).append(' ').append(r.width()).append('\u00d7')
        .append(r.height()).append(" region (").append(span("row", r.top(), r.height())).append(", ")
        .append(span("column", r.left(), r.width())).append(')');
    if (shape.channels() > 1 && r.channels().size() < shape.channels()) {
      List<String> names = new ArrayList<>();
      r.channels().forEach(c -> names.add(shape.channels() == 3 ? RGB[c] : "channel " + c));
      s.append(" in the ").append(String.join(" and ", names)).append(names.size() > 1 ? " channels" : " channel");
    }
    if (r.direction() == Direction.DOWN) {
      s.append(": simpler there than the baseline's images (blanked, flat or missing content)");
    }
    return s.toString();
  }

  private static String span(String name, int first, int count) {
    return count == 1 ? name + " " + first : name + "s " + first + "\u2013" + (first + count - 1);
  }

  /** Where the region's centre lies, in thirds of the image: "top-left", "centre", "bottom" ... */
  static String position(ImageShape shape, Region r) {
    double cy = (r.top() + r.height() / 2.0) / shape.height();
    double cx = (r.left() + r.width() / 2.0) / shape.width();
    String vertical = cy < 1 / 3.0 ? "top" : cy > 2 / 3.0 ? "bottom" : "";
    String horizontal = cx < 1 / 3.0 ? "left" : cx > 2 / 3.0 ? "right" : "";
    if (vertical.isEmpty() && horizontal.isEmpty()) {
      return "centre";
    }
    if (vertical.isEmpty() || horizontal.isEmpty()) {
      return vertical + horizontal;
    }
    return vertical + "-" + horizontal;
  }

  private static String percent(double share) {
    return (share >= 0.1 ? Decimals.fixed(100 * share, 0, false) : Decimals.significant(100 * share, 2)) + "%";
  }
}
