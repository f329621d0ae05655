package org.drift4j.spring;

import java.io.IOException;
import java.net.URL;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jConfig;
import org.drift4j.spi.Autoencoder;
import org.jspecify.annotations.Nullable;

/** DL4J models saved by Dl4jAutoencoder, through drift-dl4j when the application has it. */
final class Dl4jModelLoader implements ModelLoader {

  @Override
  public Drift4jProperties.Engine engine() {
    return Drift4jProperties.Engine.DL4J;
  }

  @Override
  public Autoencoder load(URL url, @Nullable Integer threads) throws IOException {
    Dl4jConfig.Builder config = Dl4jConfig.custom();
    if (threads != null) {
      config.concurrency(threads);
    }
    return Dl4jAutoencoder.load(url, config.build());
  }

  @Override
  public void close(Autoencoder autoencoder) {
    ((Dl4jAutoencoder) autoencoder).close();
  }
}
