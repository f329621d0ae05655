package org.drift4j;


/** The reference rule: batch mean error above baseline mean × (1 + fraction). */
final class RelativeIncreasePolicy implements DriftPolicy {

  private final double fraction;

  RelativeIncreasePolicy(double fraction) {
    this.fraction = Checks.requirePositiveFinite("fraction", fraction);
  }

  @Override
  public String name() {
    return "relativeIncrease(" + fraction + ")";
  }

  @Override
  public PolicyDecision decide(double[] batchErrors, Baseline baseline) {
    Checks.requireErrors(batchErrors);
    double increase = (Checks.mean(batchErrors) - baseline.mean()) / baseline.mean();
    boolean drift = increase > fraction;
    return new PolicyDecision(drift, increase, Double.NaN, fraction,
        "mean error " + Decimals.fixed(100 * increase, 2, true) + "% against the baseline (limit +"
            + Decimals.fixed(100 * fraction, 2, false) + "%)");
  }

  @Override
  public void requireCompatible(Baseline baseline) {
    if (!(baseline.mean() > 0)) {
      throw new IllegalArgumentException("relativeIncrease needs a baseline mean error greater than 0, but was "
          + baseline.mean());
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
