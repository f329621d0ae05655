package org.drift4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.drift4j.Baseline;
import org.drift4j.BaselineStore;
import org.drift4j.DriftExplainer;
import org.drift4j.DriftExplanation;
import org.drift4j.ExplanationImages;
import org.drift4j.ImageBatch;
import org.drift4j.examples.data.ImageSources;
import org.drift4j.spi.Autoencoder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code explain}: where and how an image set departs from a trained model's baseline, in files and pictures. */
@Command(name = "explain", description = "Explain how the images, as one batch, depart from the model's baseline: writes"
    + " explanation.json, z-map.png and top-images.png into DIR and prints one JSON line with the summary."
    + " Exit 0, or 2 on usage or input errors.")
final class ExplainCommand implements Callable<Integer> {

  @CommandLine.Mixin
  ModelInputs inputs;

  @Option(names = "--top", defaultValue = "" + Explanations.DEFAULT_TOP, paramLabel = "K",
      description = "most anomalous images to keep (default ${DEFAULT-VALUE}, at most the images given)")
  int top;

  @Option(names = "--level", defaultValue = "" + DriftExplainer.DEFAULT_LEVEL, paramLabel = "Q",
      description = "false-discovery rate of the per-pixel tests (default ${DEFAULT-VALUE})")
  double level;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (top < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--top must be at least 1, but was " + top);
    }
    Baseline baseline = BaselineStore.read(ModelFolder.member(inputs.model, TrainCommand.BASELINE_FILE));
    Autoencoder autoencoder = inputs.open(spec.commandLine());
    try {
      DriftExplainer.Builder settings = DriftExplainer.builder(autoencoder, baseline);
      try {
        settings.level(level);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--level: " + e.getMessage());
      }
      DriftExplainer explainer = settings.build();
      ImageBatch images = ImageSources.load(inputs.images, null, autoencoder.inputShape()).images();
      DriftExplanation why = explainer.explain(images, Math.min(top, images.size()));
      ExplanationImages.write(why, out);
      ObjectNode line = new ObjectMapper().createObjectNode();
      line.put("images", why.size());
      line.put("summary", why.summary());
      line.put("shareUp", why.shareUp());
      line.put("shareDown", why.shareDown());
      line.put("regions", why.regions().size());
      line.put("meanError", why.meanError());
      line.put("baselineMeanError", why.baselineMeanError());
      line.put("engine", autoencoder.getClass().getSimpleName());
      line.put("out", out.toString());
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.println(new ObjectMapper().writeValueAsString(line));
      stdout.flush();
      return 0;
    } finally {
      ModelInputs.close(autoencoder);
    }
  }
}
