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
 * class, and only when the module is present. Stateless.
 */
final class VectorErrors {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private VectorErrors() {}

  /**
   * Errors of {@code count} images laid out one after another in {@code targets} and
   * {@code outputs} ({@code size} values each) into {@code errors[offset..]}.
   *
   * @return false if an output was not finite (the errors are then meaningless)
   */
  static boolean errors(ReconstructionError measure, float[] targets, float[] outputs, int count, int size,
      double[] errors, int offset) {
    boolean finite = true;
    for (int image = 0; image < count; image++) {
      int from = image * size;
      // 0 * output is NaN exactly when the output is not finite, which clipping would hide
      FloatVector guard = FloatVector.zero(SPECIES);
      FloatVector sum = FloatVector.zero(SPECIES);
      int k = 0;
      int bound = SPECIES.loopBound(size);
      switch (measure) {
        case BINARY_CROSS_ENTROPY -> {
          FloatVector lo = FloatVector.broadcast(SPECIES, (float) ReconstructionError.EPSILON);
          FloatVector hi = FloatVector.broadcast(SPECIES, (float) (1 - ReconstructionError.EPSILON));
          FloatVector one = FloatVector.broadcast(SPECIES, 1f);
          for (; k < bound; k += SPECIES.length()) {
            FloatVector o = FloatVector.fromArray(SPECIES, outputs, from + k);
            FloatVector t = FloatVector.fromArray(SPECIES, targets, from + k);
            guard = guard.add(o.mul(0f));
            // 1 - o is clipped, not o: in float 1 - (1 - 1e-7) is 1.19e-7, not the 1e-7 of double
            FloatVector lnC = o.max(lo).min(hi).lanewise(VectorOperators.LOG);
            FloatVector lnC1 = one.sub(o).max(lo).min(hi).lanewise(VectorOperators.LOG);
            sum = sum.add(lnC1.add(t.mul(lnC.sub(lnC1))));
          }
        }
        case MEAN_SQUARED_ERROR -> {
          for (; k < bound; k += SPECIES.length()) {
            FloatVector o = FloatVector.fromArray(SPECIES, outputs, from + k);
            FloatVector d = FloatVector.fromArray(SPECIES, targets, from + k).sub(o);
            guard = guard.add(o.mul(0f));
            sum = d.fma(d, sum);
          }
        }
        case MEAN_ABSOLUTE_ERROR -> {
          for (; k < bound; k += SPECIES.length()) {
            FloatVector o = FloatVector.fromArray(SPECIES, outputs, from + k);
            guard = guard.add(o.mul(0f));
            sum = sum.add(FloatVector.fromArray(SPECIES, targets, from + k).sub(o).abs());
          }
        }
        default -> throw new IllegalArgumentException("measure " + measure + " has no vector form");
      }
      double total = sum.reduceLanes(VectorOperators.ADD);
      finite &= !Float.isNaN(guard.reduceLanes(VectorOperators.ADD));
      if (k < size) {
        for (int j = from + k; j < from + size; j++) {
          finite &= Float.isFinite(outputs[j]);
        }
        if (!finite) {
          return false;
        }
        int rest = size - k;
        double restMean = measure.of(targets, from + k, outputs, from + k, rest);
        // the vector sum of binary cross-entropy is of log-likelihoods, the negated loss
        total += measure == ReconstructionError.BINARY_CROSS_ENTROPY ? -restMean * rest : restMean * rest;
      }
      double mean = measure == ReconstructionError.BINARY_CROSS_ENTROPY ? -total / size : total / size;
      errors[offset + image] = Math.max(0.0, mean);
    }
    return finite;
  }
}
