package org.nd4j.nativeblas;

/**
 * Compatibility shim for a DL4J 1.0.0-M2.1 bug; not API.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by reflection, but nd4j-native 1.0.0-M2.1 ships
 * that class as {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}. The lookup
 * always fails, so every layer silently falls back to DL4J's slow im2col path even when the
 * oneDNN natives are present (10x slower convolutions on this project's reference
 * autoencoder). This class answers the lookup by asking the real environment.
 */
public final class Nd4jCpu {

  private Nd4jCpu() {}

  /** Answers {@code getInstance().isUseMKLDNN()} with the real backend's {@code isUseONEDNN()}. */
  public static final class Environment {

    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    /** The singleton, as DL4J expects. */
    public static Environment getInstance() {
      return INSTANCE;
    }

    /** Whether the loaded native backend was built with oneDNN and has it switched on. */
    public boolean isUseMKLDNN() {
      try {
        Class<?> real = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
        Object env = real.getMethod("getInstance").invoke(null);
        return (Boolean) real.getMethod("isUseONEDNN").invoke(env);
      } catch (ReflectiveOperationException | LinkageError e) {
        return false;
      }
    }
  }
}
