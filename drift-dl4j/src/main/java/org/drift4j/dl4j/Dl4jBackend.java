package org.drift4j.dl4j;

import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares DL4J's native CPU backend once per JVM, before the first network is built.
 *
 * <p>DL4J 1.0.0-M2.1 disables its oneDNN layer helpers unless the system property
 * {@value #HELPERS_PROPERTY} is {@code false}, and (through a class-name bug, answered by this
 * module's {@code org.nd4j.nativeblas.Nd4jCpu} shim) never enables them even then. With the
 * {@code -onednn} natives this module depends on, the helpers make the reference autoencoder's
 * convolutions several times faster. This class sets the property to {@code false} unless the
 * user has set it; set it to {@code true} yourself to get DL4J's built-in path back.
 *
 * <p>Thread-safe; idempotent.
 */
public final class Dl4jBackend {

  /** DL4J's switch for its native layer helpers (oneDNN on CPU). */
  public static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

  private static final Logger LOG = LoggerFactory.getLogger(Dl4jBackend.class);
  private static volatile String description;

  private Dl4jBackend() {}

  /**
   * Configures the backend if not done yet and returns a one-line description of it.
   *
   * @throws IllegalStateException if the native backend cannot be loaded, with the cause
   */
  public static String ensureConfigured() {
    String d = description;
    if (d != null) {
      return d;
    }
    synchronized (Dl4jBackend.class) {
      if (description == null) {
        if (System.getProperty(HELPERS_PROPERTY) == null) {
          System.setProperty(HELPERS_PROPERTY, "false");
        }
        try {
          Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
          boolean oneDnn = org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN();
          description = String.format("nd4j %s backend, %s BLAS, oneDNN %s, layer helpers %s, %s threads",
              env.getProperty("backend"), env.getProperty("blas.vendor"), oneDnn ? "on" : "off",
              "false".equals(System.getProperty(HELPERS_PROPERTY)) ? "on" : "off", env.get("omp.threads"));
          LOG.info("Drift4j DL4J backend: {}", description);
        } catch (RuntimeException | LinkageError e) {
          throw new IllegalStateException("could not load the ND4J native backend: check that drift-dl4j's natives for "
              + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " are on the classpath"
              + " (README, 'Native backend')", e);
        }
      }
      return description;
    }
  }
}
