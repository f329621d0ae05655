package org.drift4j;

/** Argument checks whose messages name the parameter, the constraint and the value found. */
final class Checks {

  private Checks() {}

  static double requireOpenUnit(String name, double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be greater than 0 and lower than 1, but was " + value);
    }
    return value;
  }

  static int requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", but was " + value);
    }
    return value;
  }

  static double requirePositiveFinite(String name, double value) {
    if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(name + " must be a finite value greater than 0, but was " + value);
    }
    return value;
  }

  static void requireErrors(double[] errors) {
    requireErrors("batchErrors", errors);
  }

  static void requireErrors(String name, double[] errors) {
    if (errors.length == 0) {
      throw new IllegalArgumentException(name + " must hold at least 1 value, but was empty");
    }
    for (int i = 0; i < errors.length; i++) {
      if (!(errors[i] >= 0 && errors[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite and non-negative, but was " + errors[i]);
      }
    }
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
