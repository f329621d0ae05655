package org.drift4j.onnx;

import org.drift4j.ReconstructionError;

/**
 * Per-image errors of reconstructions laid out one image after another. Implemented by
 * {@code VectorErrors} (the Java Vector API), which is compiled and loaded apart from the rest so
 * that this module builds and runs without the incubating module.
 */
interface ErrorKernel {

  /**
   * Errors of {@code count} images laid out one after another in {@code targets} and
   * {@code outputs} ({@code size} values each) into {@code errors[offset..]}.
   *
   * @return false if an output was not finite (the errors are then meaningless)
   */
  boolean errors(ReconstructionError measure, float[] targets, float[] outputs, int count, int size, double[] errors,
      int offset);
}
