package org.drift4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.spi.Autoencoder;
import picocli.CommandLine;

/** Opens the model of a folder written by {@code train} on the chosen engine. */
final class Engines {

  static final String ONNX_FILE = "model.onnx";

  private Engines() {}

  /**
   * @param engine "dl4j", "onnx", or null for the fastest available (ONNX when the folder has a
   *     verified export, else DL4J)
   */
  static Autoencoder open(Path modelDir, String engine, CommandLine cl) throws IOException {
    Path onnx = modelDir.resolve(ONNX_FILE);
    if (engine == null) {
      engine = Files.exists(onnx) ? "onnx" : "dl4j";
    }
    return switch (engine) {
      case "dl4j" -> Dl4jAutoencoder.load(modelDir.resolve(TrainCommand.MODEL_FILE));
      case "onnx" -> OnnxAutoencoder.load(onnx);
      default -> throw new CommandLine.ParameterException(cl, "--engine must be dl4j or onnx, but was " + engine);
    };
  }
}
