package org.drift4j.spark;

import java.io.Serializable;
import org.drift4j.DriftPolicy;

/**
 * Which of drift-core's policies an audit runs per group, in a form Spark can ship (the policies
 * themselves are not serializable, and each task makes its own, with its own calibration cache).
 * Immutable and thread-safe.
 *
 * @param kind the factory
 * @param parameter its argument: alpha, or the allowed relative increase
 */
record PolicyChoice(Kind kind, double parameter) implements Serializable {

  private static final long serialVersionUID = 1L;

  enum Kind { RANK_TEST, KS_TEST, RELATIVE_INCREASE }

  /** Checks the parameter at once, by making the policy. */
  PolicyChoice {
    create(kind, parameter);
  }

  DriftPolicy create() {
    return create(kind, parameter);
  }

  private static DriftPolicy create(Kind kind, double parameter) {
    return switch (kind) {
      case RANK_TEST -> DriftPolicy.rankTest(parameter);
      case KS_TEST -> DriftPolicy.ksTest(parameter);
      case RELATIVE_INCREASE -> DriftPolicy.relativeIncrease(parameter);
    };
  }
}
