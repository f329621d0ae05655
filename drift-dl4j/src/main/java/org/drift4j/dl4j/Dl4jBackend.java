package org.drift4j.dl4j;

import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DL4J native CPU backend Drift4j runs on: loads it once per JVM and describes it.
 *
 * <p>Loading changes no JVM-wide setting. The speed of DL4J's convolution layers comes from
 * oneDNN: Drift4j gives the layers of the networks it runs DL4J's oneDNN helpers itself (DL4J
 * 1.0.0-M2.1 fails to enable them; see README, "Native backend"), when the loaded natives have
 * oneDNN and ND4J allows helpers. To run DL4J's built-in path instead, call
 * {@code Nd4j.getEnvironment().allowHelpers(false)} before building models.
 *
 * <p>Thread-safe; idempotent.
 */
public final class Dl4jBackend {

  private static final Logger LOG = LoggerFactory.getLogger(Dl4jBackend.class);
  private static volatile String description;

  private Dl4jBackend() {}

  /**
   * Loads the backend if not done yet and returns a one-line description of it (backend, BLAS,
   * whether oneDNN layer helpers are in use, threads).
   *
   * @return the description
   * @throws IllegalStateException if the native backend cannot be loaded, with the cause
   */
  public static String describe() {
    String d = description;
    if (d != null) {
      return d;
    }
    synchronized (Dl4jBackend.class) {
      if (description == null) {
        try {
          Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
          description = "nd4j " + env.getProperty("backend") + " backend, " + env.getProperty("blas.vendor")
              + " BLAS, oneDNN layer helpers " + (OneDnnHelpers.available() ? "on" : "off") + ", "
              + env.get("omp.threads") + " threads";
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
