package org.drift4j.dl4j;

import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdaDeltaUpdater;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The optimiser step of a {@link Dl4jTrainingPlan}: the native updater op DL4J's own updater
 * calls (adam_updater, ada_delta_updater) on the whole flattened gradient, then
 * {@code params -= update}, as DL4J's step function does. Holds the optimiser's state; not
 * thread-safe.
 */
final class TrainingUpdater {

  private final IUpdater config;
  private final INDArray first;
  private final INDArray second;

  private TrainingUpdater(IUpdater config, long parameters) {
    this.config = config;
    this.first = Nd4j.zeros(DataType.FLOAT, parameters);
    this.second = Nd4j.zeros(DataType.FLOAT, parameters);
  }

  /** The updater for {@code config} over {@code parameters} values, if it is Adam or Adadelta. */
  static Optional<TrainingUpdater> of(IUpdater config, long parameters) {
    boolean supported = config != null && (config.getClass() == Adam.class || config.getClass() == AdaDelta.class);
    return supported ? Optional.of(new TrainingUpdater(config, parameters)) : Optional.empty();
  }

  /**
   * Turns {@code gradient} (flat, the mean over the minibatch) into the update in place and
   * subtracts it from {@code params}.
   */
  void step(INDArray gradient, INDArray params, int iteration, int epoch) {
    if (config instanceof Adam adam) {
      // state: first = v (squared gradients), second = m, as DL4J's AdamUpdater passes them
      Nd4j.exec(new AdamUpdater(gradient, first, second, adam.getLearningRate(iteration, epoch), adam.getBeta1(),
          adam.getBeta2(), adam.getEpsilon(), iteration));
    } else {
      AdaDelta adaDelta = (AdaDelta) config;
      // state: first = E[g²] (msg), second = E[Δx²] (msdx)
      Nd4j.exec(new AdaDeltaUpdater(gradient, first, second, adaDelta.getRho(), adaDelta.getEpsilon()));
    }
    params.subi(gradient);
  }
}
