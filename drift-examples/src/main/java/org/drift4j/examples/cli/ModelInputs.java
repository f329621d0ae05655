package org.drift4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.spi.Autoencoder;
import picocli.CommandLine;

/** The options of the commands that use a trained model on a set of images: a picocli mixin. */
final class ModelInputs {

  static final String ONNX_FILE = "model.onnx";

  @CommandLine.Option(names = "--model", required = true, paramLabel = "DIR", description = "folder written by 'train'")
  Path model;

  @CommandLine.Option(names = "--images", required = true, paramLabel = "PATH", description = "IDX image file or image folder")
  Path images;

  @CommandLine.Option(names = "--engine", paramLabel = "dl4j|onnx",
      description = "scoring engine; default: onnx when the model folder has model.onnx, else dl4j")
  String engine;

  /** Closes {@code autoencoder} if it holds resources (the commands own what they open). */
  static void close(Autoencoder autoencoder) throws Exception {
    if (autoencoder instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  /** The model of {@code --model} on the engine of {@code --engine}. */
  Autoencoder open(CommandLine cl) throws IOException {
    return open(model, engine, cl);
  }

  /**
   * @param engine "dl4j", "onnx", or null for the fastest available (ONNX when the folder has a
   *     verified export, else DL4J)
   */
  static Autoencoder open(Path modelDir, String engine, CommandLine cl) throws IOException {
    Path onnx = ModelFolder.member(modelDir, ONNX_FILE);
    if (engine == null) {
      engine = Files.exists(onnx) ? "onnx" : "dl4j";
    }
    return switch (engine) {
      case "dl4j" -> Dl4jAutoencoder.load(ModelFolder.member(modelDir, TrainCommand.MODEL_FILE));
      case "onnx" -> OnnxAutoencoder.load(onnx);
      default -> throw new CommandLine.ParameterException(cl, "--engine must be dl4j or onnx, but was " + engine);
    };
  }
}
