package org.drift4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;

/** Moving images into and errors out of ONNX Runtime, and the model hash. Stateless. */
final class OnnxTensors {

  private OnnxTensors() {}

  /** The pixels of images {@code from}..{@code to}, one image after another. */
  static float[] pixels(ImageBatch batch, int from, int to) {
    float[] pixels = new float[(to - from) * batch.shape().size()];
    batch.copyTo(from, to, pixels, 0);
    return pixels;
  }

  /** {@code count} images' pixels as an input tensor. */
  static OnnxTensor input(float[] pixels, ImageShape shape, int count) throws OrtException {
    long[] dims = {count, shape.channels(), shape.height(), shape.width()};
    return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(pixels), dims);
  }

  /** Scores a slice holding a non-finite value in Java, whose exception names the image (in the whole batch). */
  static void javaErrorsInto(ImageBatch batch, int from, float[][] rows, ReconstructionError measure,
      double[] errors) {
    float[][] whole = new float[batch.size()][];
    float[] zeros = new float[batch.shape().size()];
    Arrays.fill(whole, zeros);
    System.arraycopy(rows, 0, whole, from, rows.length);
    double[] all = measure.errors(batch, whole);
    System.arraycopy(all, from, errors, from, rows.length);
  }
}
