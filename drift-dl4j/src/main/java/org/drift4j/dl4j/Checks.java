package org.drift4j.dl4j;

/** Argument checks whose messages name the parameter, the constraint and the value found. */
final class Checks {

  private Checks() {}

  static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", but was " + value);
    }
    return value;
  }

  static double positiveFinite(String name, double value) {
    if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(name + " must be a finite value greater than 0, but was " + value);
    }
    return value;
  }

  static double nonNegativeFinite(String name, double value) {
    if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(name + " must be a finite value of at least 0, but was " + value);
    }
    return value;
  }
}
