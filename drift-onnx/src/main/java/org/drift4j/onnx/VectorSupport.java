package org.drift4j.onnx;

import java.util.concurrent.atomic.AtomicBoolean;
import org.drift4j.ReconstructionError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether {@link VectorErrors} can run: the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, and a small sample scored by it agrees with
 * {@link ReconstructionError} (which also shows that the incubating API this was compiled
 * against still links).
 */
final class VectorSupport {

  private static final Logger LOG = LoggerFactory.getLogger(VectorSupport.class);

  /** The Vector API kernel, or null where the module is missing or does not work. */
  static final ErrorKernel KERNEL = probe();

  /** Whether the Vector API is there and works. */
  static final boolean AVAILABLE = KERNEL != null;

  private static final AtomicBoolean TOLD = new AtomicBoolean();

  private VectorSupport() {}

  /** Says once per JVM, when errors go through ONNX Runtime though the Vector API was wanted, how to get it. */
  static void tellOnceWhyNot() {
    if (!AVAILABLE && !TOLD.get() && TOLD.compareAndSet(false, true)) {
      LOG.info("Drift4j: ONNX Runtime computes reconstruction errors; start the JVM with --add-modules "
          + "jdk.incubator.vector to compute them with the Java Vector API, about five times cheaper");
    }
  }

  private static ErrorKernel probe() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      ErrorKernel kernel = Class.forName("org.drift4j.onnx.VectorErrors").asSubclass(ErrorKernel.class)
          .getDeclaredConstructor().newInstance();
      int size = 37; // not a multiple of any vector length: the scalar tail runs too
      float[] targets = new float[size];
      float[] outputs = new float[size];
      for (int i = 0; i < size; i++) {
        targets[i] = (i % 5) / 4f;
        outputs[i] = (i * 7 % 11) / 10f;
      }
      double[] errors = new double[1];
      for (ReconstructionError measure : ReconstructionError.values()) {
        double expected = measure.of(targets, outputs);
        if (!kernel.errors(measure, targets, outputs, 1, size, errors, 0)
            || Math.abs(errors[0] - expected) > 1e-5 * expected) {
          LOG.warn("Drift4j: the Vector API gave {} for {} where {} was expected; not using it", errors[0], measure,
              expected);
          return null;
        }
      }
      return kernel;
    } catch (LinkageError | RuntimeException | ReflectiveOperationException e) {
      LOG.warn("Drift4j: the Vector API module is present but unusable, errors go through ONNX Runtime ({})",
          e.toString());
      return null;
    }
  }
}
