package org.drift4j.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The loss of a {@link Dl4jTrainingPlan}'s sigmoid output, computed as DL4J's {@code CnnLossLayer}
 * does with an identity activation on a sigmoid convolution: per-pixel binary cross-entropy on the
 * output clipped to [eps, 1 - eps] ({@code LossBinaryXENT}), or squared error divided by the channel
 * count ({@code LossMSE}); the score is the loss summed over pixels and averaged over images, and
 * the gradient with respect to the pre-activation is dL/dp · p(1 - p), divided by the number of
 * images as DL4J's updater divides it. Immutable; its arrays are the caller's.
 */
final class TrainingLoss {

  private final boolean crossEntropy;
  private final double clipEps;
  private final double channels;

  private TrainingLoss(boolean crossEntropy, double clipEps, int channels) {
    this.crossEntropy = crossEntropy;
    this.clipEps = clipEps;
    this.channels = channels;
  }

  /** DL4J's {@code LossBinaryXENT} with clipping {@code clipEps}, unweighted. */
  static TrainingLoss binaryCrossEntropy(double clipEps) {
    return new TrainingLoss(true, clipEps, 1);
  }

  /** DL4J's {@code LossMSE} over {@code channels} output channels, unweighted. */
  static TrainingLoss meanSquaredError(int channels) {
    return new TrainingLoss(false, 0, channels);
  }

  /**
   * Writes the gradient with respect to the output layer's pre-activation into {@code dz}, for
   * sigmoid outputs {@code p} and targets {@code y} of {@code images} images, and returns DL4J's
   * score. {@code t}, {@code u} and {@code w} are scratch arrays of the same shape.
   */
  double gradient(INDArray p, INDArray y, INDArray dz, INDArray t, INDArray u, INDArray w, int images) {
    double score;
    if (crossEntropy) {
      t.assign(p);
      if (clipEps > 0) {
        Nd4j.exec(DynamicCustomOp.builder("clipbyvalue").addInputs(t).addOutputs(t)
            .addFloatingPointArguments(clipEps, 1.0 - clipEps).build());
      }
      t.rsub(1.0, u);
      // dL/dp = (p - y) / (p (1 - p)) on the clipped output
      t.sub(y, dz).divi(t).divi(u);
      // score: -sum(y log p + (1 - y) log(1 - p)) = -sum(y (log p - log(1 - p)) + log(1 - p))
      Transforms.log(t, false);
      Transforms.log(u, false);
      t.subi(u).muli(y);
      score = -(t.sumNumber().doubleValue() + u.sumNumber().doubleValue()) / images;
    } else {
      p.sub(y, dz);
      dz.mul(dz, w);
      score = w.sumNumber().doubleValue() / channels / images;
      dz.muli(2.0 / channels);
    }
    // the sigmoid's derivative p (1 - p)
    p.rsub(1.0, w);
    dz.muli(p).muli(w).divi(images);
    return score;
  }
}
