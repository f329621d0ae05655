package org.drift4j.dl4j;

/**
 * Progress of a {@link Dl4jTrainer} run, for progress bars and logs. Called on the training
 * thread; keep it quick. Exceptions propagate and stop training.
 */
public interface TrainingListener {

  /**
   * After each minibatch.
   *
   * @param epoch 1-based epoch
   * @param batch 1-based minibatch within the epoch
   * @param batches minibatches per epoch
   * @param loss the minibatch's training loss (DL4J score per pixel)
   * @param imagesPerSecond training throughput of this epoch so far
   */
  default void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond) {}

  /**
   * After each epoch.
   *
   * @param epoch 1-based epoch
   * @param trainingLoss mean training loss over the epoch
   * @param validationError mean validation reconstruction error (NaN without a validation split)
   * @param best whether these are the best weights so far
   */
  default void onEpoch(int epoch, double trainingLoss, double validationError, boolean best) {}
}
