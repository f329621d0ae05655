package org.drift4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.drift4j.ImageShape;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.onnx.OnnxModelException;
import org.drift4j.onnx.OnnxVerification;
import org.drift4j.onnx.VerificationSample;

/**
 * An ONNX autoencoder as Spark ships it to the executors: the model's bytes and, when one applies,
 * its {@link OnnxVerification} record, which gives it its source's fingerprint (so a baseline made
 * with the DL4J model or on one machine applies on the cluster). Loading checks the model once on
 * the driver, with ONNX Runtime, and records its input shape and fingerprint; each executor opens
 * it again from the bytes ({@link SparkScorer} broadcasts it once per job).
 *
 * <pre>{@code
 * SparkModel model = SparkModel.load(Path.of("model.onnx"));   // model.onnx.verification.json beside it is used
 * }</pre>
 *
 * <p>Immutable and thread-safe; serializable, as broadcast variables must be.
 */
public final class SparkModel implements Serializable {

  private static final long serialVersionUID = 1L;

  /** @serial the ONNX model's bytes */
  private final byte[] bytes;
  /** @serial the SHA-256 (hex) of the bytes */
  private final String sha256;
  /** @serial the fingerprint baselines are matched against */
  private final String fingerprint;
  /** @serial the input's channels */
  private final int channels;
  /** @serial the input's height */
  private final int height;
  /** @serial the input's width */
  private final int width;
  // the verification record's fields (null when none applies): records are not serializable
  /** @serial the verified source's fingerprint, or null */
  private final String verifiedSource;
  /** @serial the images the verification compared */
  private final int verifiedImages;
  /** @serial the verification's largest difference */
  private final double verifiedDifference;
  /** @serial the verification's tolerance */
  private final double verifiedTolerance;
  /** @serial when the verification ran (ISO-8601), or null */
  private final String verifiedAt;
  /** @serial the source model's file name the record names, or null */
  private final String verifiedSourceFile;
  /** @serial that file's SHA-256, or null */
  private final String verifiedSourceFileSha256;
  /** @serial the record's sample: shape, or null */
  private final String sampleShape;
  /** @serial the record's sample: image count */
  private final int sampleCount;
  /** @serial the record's sample: inputs as stored, or null */
  private final String sampleInputs;
  /** @serial the record's sample: the source's reconstructions as stored, or null */
  private final String sampleReconstructions;

  private SparkModel(byte[] bytes, OnnxAutoencoder opened, OnnxVerification verification) {
    this.bytes = bytes;
    this.sha256 = opened.modelSha256();
    this.fingerprint = opened.fingerprint();
    ImageShape shape = opened.inputShape();
    this.channels = shape.channels();
    this.height = shape.height();
    this.width = shape.width();
    this.verifiedSource = verification == null ? null : verification.sourceFingerprint();
    this.verifiedImages = verification == null ? 0 : verification.images();
    this.verifiedDifference = verification == null ? 0 : verification.maxAbsDifference();
    this.verifiedTolerance = verification == null ? 0 : verification.tolerance();
    this.verifiedAt = verification == null ? null : verification.createdAt().toString();
    this.verifiedSourceFile = verification == null ? null : verification.sourceFile();
    this.verifiedSourceFileSha256 = verification == null ? null : verification.sourceFileSha256();
    VerificationSample sample = verification == null ? null : verification.sample();
    this.sampleShape = sample == null ? null : sample.shape();
    this.sampleCount = sample == null ? 0 : sample.count();
    this.sampleInputs = sample == null ? null : sample.inputs();
    this.sampleReconstructions = sample == null ? null : sample.reconstructions();
  }

  /**
   * Reads an ONNX model file, with the verification record beside it when one passes for exactly
   * these bytes (as {@link OnnxAutoencoder#load(Path)} does).
   *
   * @param file the model file, on the driver's file system
   * @return the model
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws OnnxModelException if it is not an ONNX image autoencoder
   * @throws IOException if the file cannot be read
   */
  public static SparkModel load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] bytes = Files.readAllBytes(file);
    try (OnnxAutoencoder opened = OnnxAutoencoder.load(file, checkConfig())) {
      return new SparkModel(bytes, opened, opened.verification().orElse(null));
    }
  }

  /**
   * A model from its bytes, with its own fingerprint ({@code onnx-sha256:<hash>}).
   *
   * @param model the ONNX model's bytes (copied)
   * @return the model
   * @throws OnnxModelException if the bytes are not an ONNX image autoencoder
   */
  public static SparkModel of(byte[] model) throws OnnxModelException {
    byte[] bytes = Objects.requireNonNull(model, "model").clone();
    try (OnnxAutoencoder opened = OnnxAutoencoder.fromBytes(bytes, checkConfig())) {
      return new SparkModel(bytes, opened, null);
    }
  }

  /**
   * A model from its bytes that takes {@code verification}'s source fingerprint.
   *
   * @param model the ONNX model's bytes (copied)
   * @param verification a passing record for exactly these bytes
   * @return the model
   * @throws IllegalArgumentException if the record is not for these bytes or did not pass
   * @throws OnnxModelException if the bytes are not an ONNX image autoencoder
   */
  public static SparkModel of(byte[] model, OnnxVerification verification) throws OnnxModelException {
    byte[] bytes = Objects.requireNonNull(model, "model").clone();
    Objects.requireNonNull(verification, "verification");
    try (OnnxAutoencoder opened = OnnxAutoencoder.fromBytes(bytes, checkConfig(), verification)) {
      return new SparkModel(bytes, opened, verification);
    }
  }

  private static OnnxConfig checkConfig() {
    return OnnxConfig.custom().threads(1).build();
  }

  /** {@return the model's input shape} */
  public ImageShape shape() {
    return new ImageShape(channels, height, width);
  }

  /** {@return the fingerprint baselines are matched against: the verified source's, or {@code onnx-sha256:<hash>}} */
  public String fingerprint() {
    return fingerprint;
  }

  /** {@return the SHA-256 (hex) of the model's bytes} */
  public String sha256() {
    return sha256;
  }

  /** {@return the size of the model in bytes, what each executor receives once} */
  public int sizeBytes() {
    return bytes.length;
  }

  /**
   * Opens the model in this JVM; the caller closes it.
   *
   * @param config how to run it
   * @return the autoencoder, with this model's fingerprint
   * @throws OnnxModelException if ONNX Runtime refuses the bytes
   */
  OnnxAutoencoder open(OnnxConfig config) throws OnnxModelException {
    if (verifiedSource == null) {
      return OnnxAutoencoder.fromBytes(bytes, config);
    }
    VerificationSample sample = sampleShape == null ? null
        : new VerificationSample(sampleShape, sampleCount, sampleInputs, sampleReconstructions);
    OnnxVerification verification = new OnnxVerification(verifiedSource, sha256, verifiedImages, verifiedDifference,
        verifiedTolerance, Instant.parse(verifiedAt), verifiedSourceFile, verifiedSourceFileSha256, sample);
    return OnnxAutoencoder.fromBytes(bytes, config, verification);
  }

  @Override
  public String toString() {
    return "SparkModel[" + shape() + ", " + fingerprint + ", " + bytes.length + " bytes]";
  }
}
