package org.drift4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;

/**
 * One slice of a batch through a session: its reconstructions, or its errors by the Vector API or
 * the error head. Thread-safe as the sessions are: each call runs on the session it is given.
 */
final class OnnxRuns {
  private static final Set<String> ERROR_OUTPUTS = Set.of(OnnxErrorGraph.ERROR, OnnxErrorGraph.SUM);

  private final OnnxSessions sessions;
  private final ImageShape shape;

  OnnxRuns(OnnxSessions sessions) {
    this.sessions = sessions;
    this.shape = sessions.shape();
  }

  void reconstructInto(OrtSession run, ImageBatch batch, int from, int to, float[][] rows) throws OrtException {
    try (OnnxTensor input = OnnxTensors.input(OnnxTensors.pixels(batch, from, to), shape, to - from);
        OrtSession.Result result = run.run(Map.of(sessions.inputName(), input))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      for (int i = from; i < to; i++) {
        rows[i] = new float[shape.size()];
        out.get(rows[i]);
      }
    }
  }

  void vectorErrorsInto(OrtSession run, ImageBatch batch, int from, int to, ReconstructionError measure,
      double[] errors) throws OrtException {
    float[] targets = OnnxTensors.pixels(batch, from, to);
    float[] outputs = new float[targets.length];
    try (OnnxTensor input = OnnxTensors.input(targets, shape, to - from);
        OrtSession.Result result = run.run(Map.of(sessions.inputName(), input))) {
      ((OnnxTensor) result.get(0)).getFloatBuffer().get(outputs);
    }
    if (!VectorSupport.KERNEL.errors(measure, targets, outputs, to - from, shape.size(), errors, from)) {
      float[][] rows = new float[to - from][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = Arrays.copyOfRange(outputs, i * shape.size(), (i + 1) * shape.size());
      }
      OnnxTensors.javaErrorsInto(batch, from, rows, measure, errors);
    }
  }

  void headErrorsInto(OrtSession run, ImageBatch batch, int from, int to, ReconstructionError measure,
      double[] errors) throws OrtException {
    boolean finite = true;
    try (OnnxTensor input = OnnxTensors.input(OnnxTensors.pixels(batch, from, to), shape, to - from);
        OrtSession.Result scored = run.run(Map.of(sessions.inputName(), input), ERROR_OUTPUTS)) {
      FloatBuffer error = ((OnnxTensor) scored.get(OnnxErrorGraph.ERROR).orElseThrow()).getFloatBuffer();
      FloatBuffer sum = ((OnnxTensor) scored.get(OnnxErrorGraph.SUM).orElseThrow()).getFloatBuffer();
      for (int i = 0; i < to - from; i++) {
        float e = error.get(i);
        finite &= Float.isFinite(e) && Float.isFinite(sum.get(i));
        errors[from + i] = Math.max(0.0, e);
      }
    }
    if (!finite) {
      ImageBatch slice = batch.slice(from, to);
      float[][] rows = new float[slice.size()][];
      reconstructInto(sessions.reconstruction(false), slice, 0, slice.size(), rows);
      OnnxTensors.javaErrorsInto(batch, from, rows, measure, errors);
    }
  }
}
