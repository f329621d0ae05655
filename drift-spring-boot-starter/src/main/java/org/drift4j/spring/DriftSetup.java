package org.drift4j.spring;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.ImagePreprocessing;
import org.drift4j.spi.Autoencoder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;

/**
 * The model and the baseline the properties name, loaded and checked against each other, or the
 * reason they could not be: with {@code drift4j.fail-on-missing-baseline} (the default) that
 * reason fails start-up, otherwise it is kept for the health indicator and nothing else is
 * loaded. Closes the model it loaded when the context closes. Thread-safe: the failure is the
 * only thing that changes, once, when a monitor cannot be built.
 */
final class DriftSetup implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DriftSetup.class);

  private final Drift4jProperties properties;
  private final String modelLocation;
  private final String baselineLocation;
  private final @Nullable ModelLoader loader;
  private final @Nullable Autoencoder autoencoder;
  private final @Nullable Baseline baseline;
  private volatile @Nullable String failure;

  private DriftSetup(Drift4jProperties properties, @Nullable ModelLoader loader, @Nullable Autoencoder autoencoder,
      @Nullable Baseline baseline, @Nullable String failure) {
    this.properties = properties;
    this.modelLocation = Locations.describe(modelResource(properties));
    this.baselineLocation = Locations.describe(baselineResource(properties));
    this.loader = loader;
    this.autoencoder = autoencoder;
    this.baseline = baseline;
    this.failure = failure;
  }

  /**
   * Loads the model with the engine's loader and the baseline, and checks that they fit.
   *
   * @throws IllegalStateException if the engine is not on the class path, or (when start-up is to
   *     fail on them) if the model or baseline cannot be loaded or do not fit, naming both locations
   */
  static DriftSetup load(Drift4jProperties properties, List<ModelLoader> loaders) {
    Drift4jProperties.Engine engine = properties.model().engine();
    ModelLoader loader = loaders.stream().filter(l -> l.engine() == engine).findFirst()
        .orElseThrow(() -> new IllegalStateException(missingEngine(engine)));
    Resource modelResource = modelResource(properties);
    Resource baselineResource = baselineResource(properties);
    String model = Locations.describe(modelResource);
    String base = Locations.describe(baselineResource);
    Baseline baseline;
    try {
      baseline = BaselineStore.read(baselineResource.getURL());
    } catch (IOException | RuntimeException e) {
      return failed(properties, loader, "the baseline " + base + " (drift4j.baseline.location) for the model " + model
          + " could not be read: " + reason(e), e);
    }
    Autoencoder autoencoder;
    try {
      autoencoder = loader.load(modelResource.getURL(), properties.model().threads());
    } catch (IOException | RuntimeException e) {
      return failed(properties, loader, "the model " + model + " (drift4j.model.location, engine "
          + engineName(engine) + ") for the baseline " + base + " could not be loaded: " + reason(e), e);
    }
    Optional<String> mismatch = mismatch(autoencoder, baseline, properties.baseline().expectedPreprocessing());
    if (mismatch.isPresent()) {
      loader.close(autoencoder);
      return failed(properties, loader, "the baseline " + base + " does not fit the model " + model + " (engine "
          + engineName(engine) + "): " + mismatch.get(), null);
    }
    LOG.info("Drift4j: model {} ({}, fingerprint {}) and baseline {} ({} images, id {}) loaded", model,
        engineName(engine), autoencoder.fingerprint(), base, baseline.count(), baseline.id());
    return new DriftSetup(properties, loader, autoencoder, baseline, null);
  }

  private static DriftSetup failed(Drift4jProperties properties, ModelLoader loader, String message,
      @Nullable Throwable cause) {
    if (properties.failOnMissingBaseline()) {
      throw new IllegalStateException("Drift4j: " + message
          + " (set drift4j.fail-on-missing-baseline=false to start without drift monitoring, health DOWN)", cause);
    }
    LOG.warn("Drift4j: {}; starting without drift monitoring (drift4j.fail-on-missing-baseline=false), health DOWN",
        message);
    return new DriftSetup(properties, loader, null, null, message);
  }

  /** Why a model or baseline does not fit: shape, fingerprint or preprocessing, expected vs found. */
  static Optional<String> mismatch(Autoencoder autoencoder, Baseline baseline, Optional<ImagePreprocessing> expected) {
    if (!baseline.shape().equals(autoencoder.inputShape())) {
      return Optional.of("the baseline's image shape must equal the model's input shape " + autoencoder.inputShape()
          + ", but was " + baseline.shape());
    }
    if (!baseline.autoencoderFingerprint().equals(autoencoder.fingerprint())) {
      return Optional.of("the baseline was computed with the model " + baseline.autoencoderFingerprint()
          + ", but this model's fingerprint is " + autoencoder.fingerprint()
          + (autoencoder.fingerprint().startsWith("onnx-sha256:") ? " (an ONNX export keeps its source model's"
              + " fingerprint only with a passing verification record for exactly its bytes beside it: <model>.onnx"
              + ".verification.json)" : "")
          + "; recompute the baseline with this model, or point both properties at one model's files");
    }
    if (expected.isPresent() && !expected.get().equals(baseline.preprocessing())) {
      return Optional.of("drift4j.baseline.preprocessing is " + expected.get().id()
          + ", but the baseline's images were made with " + baseline.preprocessing().id()
          + "; errors of images made another way are not comparable");
    }
    return Optional.empty();
  }

  private static String reason(Throwable e) {
    if (e instanceof FileNotFoundException || e instanceof NoSuchFileException) {
      return "not found"; // their message is the location, which may carry a URL's query (credentials)
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  static String missingEngine(Drift4jProperties.Engine engine) {
    String module = engine == Drift4jProperties.Engine.DL4J ? "drift-dl4j" : "drift-onnx";
    return "drift4j.model.engine is " + engineName(engine) + ", but " + module + " is not on the class path: add the"
        + " dependency org.drift4j:" + module + " (the drift-bom manages its version)";
  }

  static String engineName(Drift4jProperties.Engine engine) {
    return engine.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static Resource modelResource(Drift4jProperties properties) {
    return java.util.Objects.requireNonNull(properties.model().location(), "drift4j.model.location");
  }

  private static Resource baselineResource(Drift4jProperties properties) {
    return java.util.Objects.requireNonNull(properties.baseline().location(), "drift4j.baseline.location");
  }

  /** Records that no monitor could be built from this setup, for the health indicator. */
  void fail(String message) {
    this.failure = message;
  }

  /** {@return why there is no monitor, or null when the model and baseline loaded and fit} */
  @Nullable String failure() {
    return failure;
  }

  /** {@return the model, or null after a failure to load} */
  @Nullable Autoencoder autoencoder() {
    return failure == null ? autoencoder : null;
  }

  /** {@return the baseline, or null after a failure to load} */
  @Nullable Baseline baseline() {
    return failure == null ? baseline : null;
  }

  Drift4jProperties properties() {
    return properties;
  }

  String modelLocation() {
    return modelLocation;
  }

  String baselineLocation() {
    return baselineLocation;
  }

  String engine() {
    return engineName(properties.model().engine());
  }

  @Override
  public void close() {
    if (loader != null && autoencoder != null) {
      loader.close(autoencoder);
    }
  }
}
