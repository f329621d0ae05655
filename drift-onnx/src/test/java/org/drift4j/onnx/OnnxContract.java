package org.drift4j.onnx;

import org.drift4j.ImageBatch;
import org.drift4j.testkit.AutoencoderContract;
import org.drift4j.testkit.SyntheticImages;

/** The compatibility kit on the PyTorch fixture, on MNIST-sized blobs; subclasses pick the options. */
abstract class OnnxContract extends AutoencoderContract {

  @Override
  protected ImageBatch images(int count, long seed) {
    return SyntheticImages.blobs(Fixtures.MNIST, count, seed);
  }
}
