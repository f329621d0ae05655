package org.drift4j.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.drift4j.Baseline;
import org.drift4j.DriftExplainer;
import org.drift4j.DriftExplanation;
import org.drift4j.ExplanationImages;
import org.drift4j.ImageBatch;
import org.drift4j.spi.Autoencoder;

/**
 * Where {@code check --explain} and {@code monitor --explain} put their explanations: one folder
 * per drifted batch or alarm under the folder given, each with explanation.json, z-map.png and
 * top-images.png ({@link ExplanationImages#write}).
 */
final class Explanations {

  /** Top images an explanation keeps unless the batch is smaller. */
  static final int DEFAULT_TOP = 16;

  private final DriftExplainer explainer;
  private final Path dir;

  private Explanations(DriftExplainer explainer, Path dir) {
    this.explainer = explainer;
    this.dir = dir;
  }

  /**
   * Explanations into {@code dir}, or null when it is null; checks at once that the baseline can be
   * explained (it needs per-pixel statistics).
   */
  static Explanations into(Path dir, Autoencoder autoencoder, Baseline baseline) {
    return dir == null ? null : new Explanations(DriftExplainer.builder(autoencoder, baseline).build(), dir);
  }

  /** Explains {@code batch} into {@code dir/name}; returns that folder. */
  Path write(String name, ImageBatch batch) throws IOException {
    return write(name, explainer.explain(batch, Math.min(DEFAULT_TOP, batch.size())));
  }

  /** Writes {@code explanation} into {@code dir/name}; returns that folder. */
  Path write(String name, DriftExplanation explanation) throws IOException {
    Path folder = dir.resolve(name);
    ExplanationImages.write(explanation, folder);
    return folder;
  }
}
