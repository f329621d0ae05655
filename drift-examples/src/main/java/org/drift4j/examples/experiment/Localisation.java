package org.drift4j.examples.experiment;

import org.drift4j.DriftExplanation;
import org.drift4j.ImageShape;

/**
 * How well one explanation of an occluded batch points at the occluded box: pixel precision and
 * recall of its significant pixels, and whether its strongest region lies on the box. Immutable.
 *
 * @param significant pixels significant in either direction (any channel)
 * @param insideBox of those, inside the box
 * @param boxPixels pixels of the box
 * @param region whether the explanation reports a region
 * @param regionCentreInBox whether the strongest region's centre lies in the box
 * @param regionIou intersection over union of the strongest region's bounding box and the box (0 without a region)
 * @param regionDown whether the strongest region's errors went down
 */
record Localisation(int significant, int insideBox, int boxPixels, boolean region, boolean regionCentreInBox,
    double regionIou, boolean regionDown) {

  /** Share of the significant pixels inside the box; NaN when none is significant. */
  double precision() {
    return significant == 0 ? Double.NaN : insideBox / (double) significant;
  }

  /** Share of the box's pixels that are significant. */
  double recall() {
    return insideBox / (double) boxPixels;
  }

  /** Scores {@code why} against the box of rows [top, top + size) and columns [left, left + size). */
  static Localisation of(DriftExplanation why, int top, int left, int size) {
    return of(why.shape(), why.significantUp(), why.significantDown(),
        why.regions().isEmpty() ? null : why.regions().get(0), top, left, size);
  }

  /** As {@link #of(DriftExplanation, int, int, int)} from the masks (CHW) and the strongest region, or null. */
  static Localisation of(ImageShape shape, boolean[] up, boolean[] down, DriftExplanation.Region r, int top, int left,
      int size) {
    int w = shape.width();
    int plane = shape.height() * w;
    int significant = 0;
    int inside = 0;
    for (int p = 0; p < plane; p++) {
      boolean any = false;
      for (int c = 0; c < shape.channels(); c++) {
        any |= up[c * plane + p] || down[c * plane + p];
      }
      if (any) {
        significant++;
        int y = p / w;
        int x = p % w;
        if (y >= top && y < top + size && x >= left && x < left + size) {
          inside++;
        }
      }
    }
    if (r == null) {
      return new Localisation(significant, inside, size * size, false, false, 0, false);
    }
    double cy = r.top() + (r.height() - 1) / 2.0;
    double cx = r.left() + (r.width() - 1) / 2.0;
    boolean centreIn = cy >= top && cy <= top + size - 1 && cx >= left && cx <= left + size - 1;
    int iy = Math.max(0, Math.min(r.top() + r.height(), top + size) - Math.max(r.top(), top));
    int ix = Math.max(0, Math.min(r.left() + r.width(), left + size) - Math.max(r.left(), left));
    double intersection = iy * (double) ix;
    double iou = intersection / (r.height() * r.width() + size * size - intersection);
    return new Localisation(significant, inside, size * size, true, centreIn, iou,
        r.direction() == DriftExplanation.Direction.DOWN);
  }
}
