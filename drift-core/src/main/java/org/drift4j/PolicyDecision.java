package org.drift4j;

import java.util.Objects;

/**
 * What a {@link DriftPolicy} concluded about one batch.
 *
 * <p>Immutable and thread-safe.
 *
 * @param drift whether the batch is judged to have drifted
 * @param statistic the policy's test statistic (its meaning is given by each policy)
 * @param pValue the p-value, or {@code NaN} for a policy that is not a statistical test
 * @param threshold the level the policy compares against: α for a test, the allowed fraction
 *     for {@link DriftPolicy#relativeIncrease(double)}
 * @param detail a one-line human-readable explanation
 */
public record PolicyDecision(boolean drift, double statistic, double pValue, double threshold, String detail) {

  /**
   * A decision.
   *
   * @param drift whether the batch is judged to have drifted
   * @param statistic the policy's test statistic
   * @param pValue the p-value, or {@code NaN}
   * @param threshold the level the policy compares against
   * @param detail a one-line explanation
   * @throws IllegalArgumentException if {@code pValue} is neither NaN nor in [0, 1]
   */
  public PolicyDecision {
    Objects.requireNonNull(detail, "detail");
    if (!Double.isNaN(pValue) && !(pValue >= 0 && pValue <= 1)) {
      throw new IllegalArgumentException("pValue must be NaN or in [0, 1], but was " + pValue);
    }
  }

  /** {@return whether this decision carries a p-value} */
  public boolean hasPValue() {
    return !Double.isNaN(pValue);
  }
}
