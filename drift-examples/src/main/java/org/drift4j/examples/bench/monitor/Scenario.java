package org.drift4j.examples.bench.monitor;

import java.util.Objects;

/**
 * What a stream looks like after its change point: each image is, with probability
 * {@code fraction}, drawn from {@code errors} (the errors of shifted or foreign images), and
 * otherwise from the clean pool. Fraction 1 is a shift of every image.
 *
 * @param name the name in tables, e.g. "thick 2×2" or "10% noise 0.5"
 * @param errors the drifted images' errors
 * @param fraction the share of drifted images, in (0, 1]
 */
public record Scenario(String name, double[] errors, double fraction) {

  /** The name of the control scenario: no change at all. */
  public static final String CONTROL = "none (control)";

  /**
   * Checks the fields.
   *
   * @param name the name
   * @param errors the drifted images' errors
   * @param fraction the share of drifted images
   * @throws IllegalArgumentException if {@code errors} is empty or {@code fraction} not in (0, 1]
   */
  public Scenario {
    Objects.requireNonNull(name, "name");
    if (errors.length == 0) {
      throw new IllegalArgumentException("errors of scenario " + name + " must not be empty");
    }
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be greater than 0 and at most 1, but was " + fraction);
    }
  }

  /**
   * Whether the monitor's target on a scenario is half of the better comparator's median delay
   * (10% contamination, thickened strokes) rather than no more than it.
   *
   * @param name the scenario's name
   * @return whether the half target applies
   */
  public static boolean halfTarget(String name) {
    return name.startsWith("10% ") || name.startsWith("thick");
  }
}
