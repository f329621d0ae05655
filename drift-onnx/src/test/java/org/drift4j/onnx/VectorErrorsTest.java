package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.drift4j.ReconstructionError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VectorErrorsTest {

  @BeforeAll
  static void theTestJvmHasTheVectorApi() {
    assertThat(VectorSupport.AVAILABLE)
        .as("the test JVM must run with --add-modules jdk.incubator.vector (drift-onnx's surefire argLine)")
        .isTrue();
  }

  @Test
  void everyMeasureMatchesJavasDoubleLoopForSizesThatLeaveATail() {
    SplittableRandom random = new SplittableRandom(3);
    for (int size : new int[] {1, 7, 16, 31, 784, 785, 3 * 224 * 224}) {
      int count = 3;
      float[] targets = new float[count * size];
      float[] outputs = new float[count * size];
      for (int i = 0; i < targets.length; i++) {
        targets[i] = random.nextInt(4) == 0 ? random.nextInt(2) : (float) random.nextDouble();
        outputs[i] = (float) random.nextDouble();
      }
      outputs[0] = 1f; // saturated: clipping must follow ReconstructionError's
      outputs[targets.length - 1] = 0f;
      for (ReconstructionError measure : ReconstructionError.values()) {
        double[] errors = new double[count + 2];
        assertThat(VectorErrors.compute(measure, targets, outputs, count, size, errors, 2)).isTrue();
        assertThat(errors[0]).isZero();
        for (int image = 0; image < count; image++) {
          double expected = measure.of(targets, image * size, outputs, image * size, size);
          assertThat(errors[2 + image]).as("%s, size %d, image %d", measure, size, image)
              .isCloseTo(expected, within(1e-5 * expected + 1e-12));
        }
      }
    }
  }

  @Test
  void aNonFiniteOutputIsReportedThoughClippingWouldHideIt() {
    for (float bad : new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}) {
      for (int at : new int[] {3, 40}) { // in a vector, and in the scalar tail of a 41-value image
        float[] targets = new float[41];
        float[] outputs = new float[41];
        java.util.Arrays.fill(outputs, 0.5f);
        outputs[at] = bad;
        for (ReconstructionError measure : ReconstructionError.values()) {
          assertThat(VectorErrors.compute(measure, targets, outputs, 1, 41, new double[1], 0))
              .as("%s at %d, %s", bad, at, measure).isFalse();
        }
      }
    }
  }
}
