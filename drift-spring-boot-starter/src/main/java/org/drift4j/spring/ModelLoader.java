package org.drift4j.spring;

import java.io.IOException;
import java.net.URL;
import org.drift4j.spi.Autoencoder;
import org.jspecify.annotations.Nullable;

/**
 * Loads a model for one engine; one bean per engine whose module is on the class path, so that
 * an engine's classes are touched only when it is there.
 */
interface ModelLoader {

  /** {@return the engine this loader serves} */
  Drift4jProperties.Engine engine();

  /**
   * Loads the model; the caller closes it.
   *
   * @param url where it is
   * @param threads threads per call (ONNX) or concurrent calls (DL4J); null for the engine's default
   */
  Autoencoder load(URL url, @Nullable Integer threads) throws IOException;

  /** Closes a model this loader loaded. */
  void close(Autoencoder autoencoder);
}
