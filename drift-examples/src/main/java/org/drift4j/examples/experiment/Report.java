package org.drift4j.examples.experiment;

import java.util.Locale;

/** Renders the experiment's results as Markdown. */
final class Report {

  private Report() {}

  static String markdown(Experiment.Results r) {
    StringBuilder md = new StringBuilder();
    md.append("# Drift4j reference experiment (").append(r.mode()).append(")\n\n");
    md.append("- MNIST: ").append(r.mnistSource()).append(": ").append(r.trainImages()).append(" training, ")
        .append(r.validationImages()).append(" validation (baseline), ").append(r.testImages()).append(" held-out test digits\n");
    md.append("- noisy MNIST: the test digits + 0.5·N(0,1), clipped to [0,1]\n");
    md.append("- notMNIST: ").append(r.notMnistSource()).append("\n");
    md.append("- occluded MNIST: the test digits with rows and columns ").append(Occlusion.TOP).append("\u2013")
        .append(Occlusion.TOP + Occlusion.SIZE - 1).append(" blanked (a dead ").append(Occlusion.SIZE).append("\u00d7")
        .append(Occlusion.SIZE).append(" region of the camera)\n");
    md.append("- error: mean per-pixel binary cross-entropy; policy: `DriftPolicy.rankTest(").append(r.alpha())
        .append(")`; ").append(r.trials()).append(" sampled batches per rate\n");
    md.append("- backend: ").append(r.backend()).append("\n\n");

    md.append("## Mean reconstruction error\n\n");
    md.append("Mean per-pixel BCE of each input against its reconstruction (what a detector sees), and in brackets the"
        + " increase over the same model's clean held-out digits (the reference's convention).\n\n");
    md.append("| dataset | reference (denoising AE) |");
    for (Experiment.ModelResult m : r.models()) {
      md.append(" ").append(m.name()).append(" AE |");
    }
    md.append(" denoising AE, against the clean digit |\n|---|---|");
    r.models().forEach(m -> md.append("---|"));
    md.append("---|\n");
    Experiment.ModelResult den = r.models().get(r.models().size() - 1);
    for (int d = 0; d < den.datasets().size(); d++) {
      md.append("| ").append(den.datasets().get(d).name()).append(" | ")
          .append(d < Experiment.REFERENCE.length ? fmt("%.4f (%+.1f%%)", Experiment.REFERENCE[d],
              100 * increase(Experiment.REFERENCE[d], Experiment.REFERENCE[0])) : "\u2014")
          .append(" |");
      for (Experiment.ModelResult m : r.models()) {
        double mean = m.datasets().get(d).meanError();
        md.append(" ").append(fmt("%.4f (%+.1f%%)", mean, 100 * increase(mean, m.datasets().get(0).meanError()))).append(" |");
      }
      double clean = den.datasets().get(d).meanErrorAgainstClean();
      md.append(" ").append(fmt("%.4f (%+.1f%%)", clean, 100 * increase(clean, den.datasets().get(0).meanError())))
          .append(" |\n");
    }
    md.append("\nBaselines (validation split, what the detector compares against): ");
    for (Experiment.ModelResult m : r.models()) {
      md.append(m.name()).append(fmt(" mean %.4f after %d epochs (%.0f s); ", m.baselineMean(), m.epochsRun(),
          m.trainingSeconds()));
    }
    md.append("\n\n");

    md.append("## The calibrated test on whole sets\n\n| model | dataset | p-value | drift |\n|---|---|---|---|\n");
    for (Experiment.ModelResult m : r.models()) {
      for (Experiment.DatasetResult d : m.datasets()) {
        md.append("| ").append(m.name()).append(" | ").append(d.name()).append(" (").append(d.images()).append(") | ")
            .append(fmt("%.3g", d.pValue())).append(" | ").append(d.drift() ? "yes" : "no").append(" |\n");
      }
    }

    md.append("\n## Batches flagged, by batch size\n\n");
    md.append("Share of ").append(r.trials()).append(" random batches flagged. On `validation` (clean held-out digits) this"
        + " is the false-alarm rate, with its 95% Wilson interval; the rank test's target is ").append(r.alpha())
        .append(". Its calibration is exact on average over baselines; against one fixed baseline of ")
        .append(r.validationImages()).append(" images, batches drawn from one fixed pool of ").append(r.testImages())
        .append(" digits share that baseline's sampling error, so their rate scatters around alpha, more so for large"
        + " batches (a larger baseline narrows it). Elsewhere the rate is the detection rate. `relativeIncrease10` is the"
        + " reference's +10% rule, which is not calibrated.\n\n");
    md.append("| model | dataset | policy |");
    for (int m : r.batchSizes()) {
      md.append(" m=").append(m).append(" |");
    }
    md.append("\n|---|---|---|");
    for (int ignored : r.batchSizes()) {
      md.append("---|");
    }
    md.append("\n");
    for (Experiment.ModelResult m : r.models()) {
      for (Experiment.DatasetResult d : m.datasets()) {
        for (var rate : d.rates().entrySet()) {
          md.append("| ").append(m.name()).append(" | ").append(d.name()).append(" | ").append(rate.getKey()).append(" |");
          for (double v : rate.getValue()) {
            if (d.name().equals("validation")) {
              double[] ci = org.drift4j.examples.Measures.wilson(v, r.trials());
              md.append(fmt(" %.3f [%.3f, %.3f] |", v, ci[0], ci[1]));
            } else {
              md.append(fmt(" %.3f |", v));
            }
          }
          md.append("\n");
        }
      }
    }

    md.append("\nFalse alarms when every trial re-draws the baseline (").append(r.validationImages())
        .append(" images) and the batch's pool from all held-out clean digits: the rate the test's calibration promises"
        + " on average over baselines.\n\n| model | policy |");
    for (int m : r.batchSizes()) {
      md.append(" m=").append(m).append(" |");
    }
    md.append("\n|---|---|");
    for (int ignored : r.batchSizes()) {
      md.append("---|");
    }
    md.append("\n");
    for (Experiment.ModelResult m : r.models()) {
      for (var rate : m.redrawnFalseAlarms().entrySet()) {
        md.append("| ").append(m.name()).append(" | ").append(rate.getKey()).append(" |");
        for (double v : rate.getValue()) {
          double[] ci = org.drift4j.examples.Measures.wilson(v, r.trials());
          md.append(fmt(" %.3f [%.3f, %.3f] |", v, ci[0], ci[1]));
        }
        md.append("\n");
      }
    }

    Experiment.ModelResult plain = r.models().get(0);
    Experiment.ModelResult denoising = r.models().get(r.models().size() - 1);
    md.append("\n## Why noise is or is not flagged\n\n");
    md.append(fmt("- **Plain autoencoder** (clean in, clean out): noisy digits cost %+.1f%% over clean ones. It never saw"
        + " noise, so it rebuilds a smooth digit and the noise it cannot rebuild counts as error: noise is drift to it.\n",
        100 * increase(plain.datasets().get(1).meanError(), plain.datasets().get(0).meanError())));
    double denClean = increase(denoising.datasets().get(1).meanErrorAgainstClean(), denoising.datasets().get(0).meanError());
    md.append(fmt("- **Denoising autoencoder** (noisy in, clean out, as in the reference): measured as the reference did,"
        + " against the clean digit, its reconstructions of noisy inputs cost %+.1f%% more than those of clean inputs"
        + " (the reference, trained longer on 60,000 digits: +1.3%%): it learned to remove this noise, so measured that way"
        + " noise registers far less than for the plain model. A detector in production has no clean digit, only the noisy input; against"
        + " the input the error rises %+.1f%%, because the model removes the noise instead of rebuilding it, and the"
        + " noisy batches are flagged. The reference's 'noise barely registered' comes from measuring against clean"
        + " targets, which a live service cannot do.\n",
        100 * denClean,
        100 * increase(denoising.datasets().get(1).meanError(), denoising.datasets().get(0).meanError())));
    md.append(fmt("- **notMNIST** letters cost %+.1f%% (plain) and %+.1f%% (denoising): the digits' autoencoder cannot"
        + " rebuild letters, whichever way it was trained.\n\n",
        100 * increase(plain.datasets().get(2).meanError(), plain.datasets().get(0).meanError()),
        100 * increase(denoising.datasets().get(2).meanError(), denoising.datasets().get(0).meanError())));

    explanations(md, r);

    md.append("## Figures\n\n");
    for (Experiment.ModelResult m : r.models()) {
      md.append("### ").append(m.name()).append(" autoencoder\n\n");
      for (String n : new String[] {"validation", "noisy", "notmnist", "occluded"}) {
        md.append("![").append(n).append(" inputs (top) and reconstructions (bottom)](").append(m.name()).append("-grid-")
            .append(n).append(".png)\n\n");
      }
      md.append("![errors](").append(m.name()).append("-errors.png)\n\n");
      md.append("![detection](").append(m.name()).append("-detection.png)\n\n");
    }
    return md.toString();
  }

  /** Where in the image each set's errors depart from the baseline: the summaries and the explanation pictures. */
  private static void explanations(StringBuilder md, Experiment.Results r) {
    md.append("## Where the errors change\n\n");
    md.append("Each whole set explained against its model's baseline (`DriftExplanation`): a per-pixel z-test of the"
        + " set's mean error against the baseline's, Benjamini\u2013Hochberg at 5% over the 784 pixels; the share of"
        + " pixels significantly up and down, and the summary it gives. The clean held-out digits are the control.\n\n");
    md.append("| model | dataset | pixels up | pixels down | summary |\n|---|---|---|---|---|\n");
    for (Experiment.ModelResult m : r.models()) {
      for (Experiment.DatasetResult d : m.datasets()) {
        md.append("| ").append(m.name()).append(" | ").append(d.name()).append(" | ")
            .append(fmt("%.1f%%", 100 * d.shareUp())).append(" | ").append(fmt("%.1f%%", 100 * d.shareDown()))
            .append(" | ").append(d.explanation()).append(" |\n");
      }
    }
    md.append("\nThe z-maps (red: errors up, blue: down, faint where not significant; outlined: the region) over each"
        + " set's mean image, and its ").append(Experiment.EXPLAINED_IMAGES).append(" most anomalous images (input,"
        + " reconstruction, error map):\n\n");
    for (Experiment.ModelResult m : r.models()) {
      md.append("### ").append(m.name()).append(" autoencoder\n\n");
      for (Experiment.DatasetResult d : m.datasets()) {
        String folder = m.name() + "-explain-" + d.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        md.append("![").append(d.name()).append(": z-map](").append(folder).append("/z-map.png) ![").append(d.name())
            .append(": most anomalous images](").append(folder).append("/top-images.png)\n\n");
      }
    }
  }

  static double increase(double value, double reference) {
    return (value - reference) / reference;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
