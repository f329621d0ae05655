package org.drift4j.onnx;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.drift4j.ReconstructionError;

/**
 * Per-image errors with the Java Vector API (module {@code jdk.incubator.vector}): the lanes of a
 * vector register take several pixels at once, logarithms included (the JDK's vector maths
 * library), so binary cross-entropy costs about 1 ns per pixel instead of the 5 of two scalar
 * logarithms. Float precision, like the ONNX error head. Only {@link VectorSupport} loads this
 * class, by name, and only when the module is present; it is compiled apart from the rest of the
 * module (see its POM), since javac's warning about incubating modules cannot be turned off.
 * Stateless.
 */
final class VectorErrors implements ErrorKernel {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Values per float block: 64 vectors of 16 lanes with AVX-512, a multiple of every lane count. */
  private static final int BLOCK = 1024;

  VectorErrors() {}

  @Override
  public boolean errors(ReconstructionError measure, float[] targets, float[] outputs, int count, int size,
      double[] errors, int offset) {
    return compute(measure, targets, outputs, count, size, errors, offset);
  }

  /**
   * Errors of {@code count} images laid out one after another in {@code targets} and
   * {@code outputs} ({@code size} values each) into {@code errors[offset..]}.
   *
   * @return false if an output was not finite (the errors are then meaningless)
   */
  static boolean compute(ReconstructionError measure, float[] targets, float[] outputs, int count, int size,
      double[] errors, int offset) {
    int bound = SPECIES.loopBound(size);
    for (int image = 0; image < count; image++) {
      int from = image * size;
      // float lanes sum at most BLOCK values each before the total moves to double, so that large
      // images keep the 1e-5 agreement with ReconstructionError's double loop
      double total = 0;
      for (int k = 0; k < bound; k += BLOCK) {
        total += blockSum(measure, targets, outputs, from + k, from + Math.min(bound, k + BLOCK));
      }
      if (Double.isNaN(total)) {
        return false;
      }
      if (bound < size) {
        for (int j = from + bound; j < from + size; j++) {
          if (!Float.isFinite(outputs[j])) {
            return false;
          }
        }
        int rest = size - bound;
        double restMean = measure.of(targets, from + bound, outputs, from + bound, rest);
        // the vector sum of binary cross-entropy is of log-likelihoods, the negated loss
        total += measure == ReconstructionError.BINARY_CROSS_ENTROPY ? -restMean * rest : restMean * rest;
      }
      double mean = measure == ReconstructionError.BINARY_CROSS_ENTROPY ? -total / size : total / size;
      errors[offset + image] = Math.max(0.0, mean);
    }
    return true;
  }

  /**
   * The sum over values {@code from}..{@code to} (a whole number of vectors): log-likelihoods for
   * binary cross-entropy, losses for the others; NaN if an output there is not finite.
   */
  private static double blockSum(ReconstructionError measure, float[] targets, float[] outputs, int from, int to) {
    // 0 * output is NaN exactly when the output is not finite, which clipping would hide
    FloatVector sum = FloatVector.zero(SPECIES);
    switch (measure) {
      case BINARY_CROSS_ENTROPY -> {
        FloatVector lo = FloatVector.broadcast(SPECIES, (float) ReconstructionError.EPSILON);
        FloatVector hi = FloatVector.broadcast(SPECIES, (float) (1 - ReconstructionError.EPSILON));
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int k = from; k < to; k += SPECIES.length()) {
          FloatVector o = FloatVector.fromArray(SPECIES, outputs, k);
          FloatVector t = FloatVector.fromArray(SPECIES, targets, k);
          // 1 - o is clipped, not o: in float 1 - (1 - 1e-7) is 1.19e-7, not the 1e-7 of double
          FloatVector lnC = o.max(lo).min(hi).lanewise(VectorOperators.LOG);
          FloatVector lnC1 = one.sub(o).max(lo).min(hi).lanewise(VectorOperators.LOG);
          sum = sum.add(lnC1.add(t.mul(lnC.sub(lnC1)))).add(o.mul(0f));
        }
      }
      case MEAN_SQUARED_ERROR -> {
        for (int k = from; k < to; k += SPECIES.length()) {
          FloatVector o = FloatVector.fromArray(SPECIES, outputs, k);
          FloatVector d = FloatVector.fromArray(SPECIES, targets, k).sub(o);
          sum = d.fma(d, sum).add(o.mul(0f));
        }
      }
      case MEAN_ABSOLUTE_ERROR -> {
        for (int k = from; k < to; k += SPECIES.length()) {
          FloatVector o = FloatVector.fromArray(SPECIES, outputs, k);
          sum = sum.add(FloatVector.fromArray(SPECIES, targets, k).sub(o).abs()).add(o.mul(0f));
        }
      }
      default -> throw new IllegalArgumentException("measure " + measure + " has no vector form");
    }
    return sum.reduceLanes(VectorOperators.ADD);
  }
}
