package org.drift4j.dl4j;

import java.time.Instant;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;

/**
 * What a saved model says about itself: shape, layout, the error measure it was trained for, its
 * fingerprint, and how it was trained (absent for wrapped networks).
 *
 * <p>Immutable and thread-safe.
 *
 * @param format always {@link #FORMAT}
 * @param schemaVersion version of this record's stored form
 * @param networkType {@code MultiLayerNetwork} or {@code ComputationGraph}
 * @param inputShape the image shape
 * @param dataFormat {@code NCHW} or {@code NHWC}, the network's internal layout
 * @param errorMeasure the error measure that fits the training loss
 * @param fingerprint {@link Dl4jAutoencoder#fingerprint()}
 * @param latentLayer index of the layer whose activations are the latent code, or -1
 * @param createdAt when the model was trained or wrapped
 * @param training how it was trained, or null
 */
public record Dl4jModelInfo(String format, int schemaVersion, String networkType, ImageShape inputShape,
    String dataFormat, ReconstructionError errorMeasure, String fingerprint, int latentLayer, Instant createdAt,
    TrainingRecord training) {

  /** Marker of a Drift4j DL4J model file. */
  public static final String FORMAT = "drift4j-dl4j-model";

  /** The schema version this library writes and the newest it reads. */
  public static final int SCHEMA_VERSION = 1;

  /**
   * Checks presence of the required fields.
   *
   * @param format always {@link #FORMAT}
   * @param schemaVersion version of this record's stored form
   * @param networkType {@code MultiLayerNetwork} or {@code ComputationGraph}
   * @param inputShape the image shape
   * @param dataFormat {@code NCHW} or {@code NHWC}
   * @param errorMeasure the error measure that fits the training loss
   * @param fingerprint the model's fingerprint
   * @param latentLayer index of the latent layer, or -1
   * @param createdAt when the model was trained or wrapped
   * @param training how it was trained, or null
   */
  public Dl4jModelInfo {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(networkType, "networkType");
    Objects.requireNonNull(inputShape, "inputShape");
    Objects.requireNonNull(dataFormat, "dataFormat");
    Objects.requireNonNull(errorMeasure, "errorMeasure");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * Provenance of a trained model: configuration, data and outcome.
   *
   * @param architecture {@link Dl4jArchitecture#toString()}
   * @param optimizer optimizer name
   * @param learningRate learning rate (NaN for Adadelta, which has none)
   * @param epochsRequested epochs asked for
   * @param epochsRun epochs run before early stopping
   * @param bestEpoch the epoch whose weights were kept (1-based)
   * @param batchSize minibatch size
   * @param seed seed of initialisation, shuffling, splitting and noise
   * @param validationFraction share of images held out
   * @param denoiseFactor Gaussian noise factor on inputs (0 = plain autoencoder)
   * @param trainingImages number of training images
   * @param validationImages number of validation images
   * @param dataSource what the caller said the data was
   * @param bestValidationError mean validation error of the kept weights
   * @param backend the native backend that trained it
   */
  public record TrainingRecord(String architecture, String optimizer, double learningRate, int epochsRequested,
      int epochsRun, int bestEpoch, int batchSize, long seed, double validationFraction, double denoiseFactor,
      int trainingImages, int validationImages, String dataSource, double bestValidationError, String backend) {}

  /** The record of a network the trainer made. */
  static Dl4jModelInfo ofTrained(MultiLayerNetwork net, Dl4jArchitecture architecture, TrainingRecord training,
      java.time.Clock clock) {
    ReconstructionError measure = architecture.loss() == Dl4jArchitecture.Loss.BINARY_CROSS_ENTROPY
        ? ReconstructionError.BINARY_CROSS_ENTROPY : ReconstructionError.MEAN_SQUARED_ERROR;
    return new Dl4jModelInfo(FORMAT, SCHEMA_VERSION, "MultiLayerNetwork",
        architecture.inputShape(), architecture.inferenceFormat().name(), measure,
        Networks.fingerprint(net, architecture.inputShape(), architecture.inferenceFormat()),
        architecture.latentLayerIndex(), clock.instant(), training);
  }
}
