package org.drift4j.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.drift4j.onnx.proto.OnnxProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX Runtime sessions of one model: the model alone on one thread (made at load, where it
 * also validates the model), and, made on first use, the model on several intra-op threads and
 * the model with an {@link OnnxErrorGraph} head per measure. Thread-safe; the owner closes it
 * only once no run is in flight.
 */
final class OnnxSessions {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxSessions.class);

  /** Which session: of the model alone ({@code measure} null) or with a head; on one thread or on many. */
  private record Key(ReconstructionError measure, boolean multiThread) {}

  private final byte[] model;
  private final int threads;
  private final OrtSession single;
  private final String inputName;
  private final String outputName;
  private final ImageShape shape;
  private final long activationValuesPerImage;
  /** Empty where the head could not be added (errors are then computed in Java). */
  private final Map<Key, Optional<OrtSession>> made = new ConcurrentHashMap<>();

  private OnnxSessions(byte[] model, int threads, OrtSession single, String inputName, String outputName,
      ImageShape shape, long activationValuesPerImage) {
    this.activationValuesPerImage = activationValuesPerImage;
    this.model = model;
    this.threads = threads;
    this.single = single;
    this.inputName = inputName;
    this.outputName = outputName;
    this.shape = shape;
  }

  /**
   * Opens {@code model} and checks that it is an image autoencoder: one float input
   * [N, C, H, W] with a dynamic batch dimension, one output of the same shape.
   *
   * @throws OnnxModelException if it is not, with what was found, or if a node has an attribute
   *     that would crash ONNX Runtime ({@link OnnxGraphCheck})
   */
  static OnnxSessions open(byte[] model, int threads) throws OnnxModelException {
    OnnxGraphCheck.check(model);
    OrtSession session;
    try {
      session = OrtEnvironment.getEnvironment().createSession(model, options(1));
    } catch (OrtException e) {
      throw new OnnxModelException("not a valid ONNX model: " + e.getMessage(), e);
    }
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      if (inputs.size() != 1 || outputs.size() != 1) {
        throw new OnnxModelException("model must have 1 input and 1 output, but had " + inputs.size() + " inputs "
            + inputs.keySet() + " and " + outputs.size() + " outputs " + outputs.keySet());
      }
      NodeInfo in = inputs.values().iterator().next();
      NodeInfo out = outputs.values().iterator().next();
      long[] inShape = tensorShape(in, "input");
      long[] outShape = tensorShape(out, "output");
      if (inShape.length != 4 || inShape[1] < 1 || inShape[2] < 1 || inShape[3] < 1) {
        throw new OnnxModelException("model input must have shape [N, C, H, W] with fixed C, H, W, but had "
            + Arrays.toString(inShape));
      }
      if (inShape[0] >= 0) {
        throw new OnnxModelException("model input's batch dimension must be dynamic (export it with dynamic axes,"
            + " e.g. torch.onnx.export(..., dynamic_axes={'images': {0: 'batch'}})), but was fixed at " + inShape[0]);
      }
      if (outShape.length != 4 || !Arrays.equals(Arrays.copyOfRange(inShape, 1, 4), Arrays.copyOfRange(outShape, 1, 4))) {
        throw new OnnxModelException("model output shape must equal its input shape " + Arrays.toString(inShape)
            + ", but was " + Arrays.toString(outShape));
      }
      ImageShape shape = new ImageShape((int) inShape[1], (int) inShape[2], (int) inShape[3]);
      return new OnnxSessions(model, threads, session, in.getName(), out.getName(), shape,
          activationValues(session.getMetadata().getCustomMetadata().get(OnnxProto.ACTIVATION_VALUES_PER_IMAGE)));
    } catch (OrtException e) {
      closeQuietly(session);
      throw new OnnxModelException("could not inspect the model: " + e.getMessage(), e);
    } catch (OnnxModelException e) {
      closeQuietly(session);
      throw e;
    }
  }

  ImageShape shape() {
    return shape;
  }

  /** The activation values one image takes, as the model's metadata says; 0 if it does not say. */
  long activationValuesPerImage() {
    return activationValuesPerImage;
  }

  private static long activationValues(String value) {
    try {
      return value == null ? 0 : Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  String inputName() {
    return inputName;
  }

  /** The model alone, on one thread ({@code multiThread} false) or on ONNX Runtime's threads. */
  OrtSession reconstruction(boolean multiThread) {
    return multiThread ? made(new Key(null, true)).orElseThrow() : single;
  }

  /** The model with the head of {@code measure}, or empty if the head cannot be added to this model. */
  Optional<OrtSession> head(ReconstructionError measure, boolean multiThread) {
    return made(new Key(measure, multiThread));
  }

  private Optional<OrtSession> made(Key key) {
    Optional<OrtSession> session = made.get(key);
    return session != null ? session : made.computeIfAbsent(key, this::make);
  }

  private Optional<OrtSession> make(Key key) {
    int sessionThreads = key.multiThread() ? threads : 1;
    if (key.measure() == null) {
      try {
        return Optional.of(OrtEnvironment.getEnvironment().createSession(model, options(sessionThreads)));
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime could not open the model again: " + e.getMessage(), e);
      }
    }
    List<String> failures = new ArrayList<>();
    for (OnnxErrorGraph.Clipping clipping : OnnxErrorGraph.Clipping.values()) {
      byte[] head = OnnxErrorGraph.head(key.measure(), shape, inputName, outputName, clipping);
      try {
        return Optional.of(OrtEnvironment.getEnvironment().createSession(OnnxErrorGraph.appendTo(model, head),
            options(sessionThreads)));
      } catch (OrtException | RuntimeException e) {
        failures.add(clipping + ": " + e.getMessage());
      }
    }
    LOG.warn("Drift4j: could not add the {} head to this ONNX model, so errors are computed in Java ({})",
        key.measure(), failures);
    return Optional.empty();
  }

  /** Frees every session. Only once no run is in flight. */
  void close() {
    made.values().forEach(s -> s.ifPresent(OnnxSessions::closeQuietly));
    made.clear();
    closeQuietly(single);
  }

  private static OrtSession.SessionOptions options(int threads) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(threads);
    so.setInterOpNumThreads(1);
    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    return so;
  }

  private static long[] tensorShape(NodeInfo node, String role) throws OnnxModelException {
    if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      throw new OnnxModelException("model " + role + " '" + node.getName() + "' must be a float tensor, but was "
          + node.getInfo());
    }
    return t.getShape();
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // nothing more to free
    }
  }
}
