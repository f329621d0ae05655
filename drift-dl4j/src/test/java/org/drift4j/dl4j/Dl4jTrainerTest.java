package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.drift4j.ImageBatch;
import org.drift4j.ImageShape;
import org.drift4j.ReconstructionError;
import org.junit.jupiter.api.Test;

class Dl4jTrainerTest {

  @Test
  void trainingLowersTheValidationErrorAndKeepsTheBestEpoch() {
    Dl4jTrainer.Result r = TinyModels.trained();
    List<Dl4jTrainer.EpochStats> h = r.history();
    assertThat(h).hasSize(3);
    assertThat(h.get(h.size() - 1).validationError()).isLessThan(h.get(0).validationError());
    Dl4jModelInfo.TrainingRecord t = r.autoencoder().info().training();
    double best = h.stream().mapToDouble(Dl4jTrainer.EpochStats::validationError).min().orElseThrow();
    assertThat(t.bestValidationError()).isEqualTo(best);
    assertThat(h.get(t.bestEpoch() - 1).validationError()).isEqualTo(best);
    assertThat(t.trainingImages()).isEqualTo(240);
    assertThat(t.validationImages()).isEqualTo(60);
    assertThat(t.dataSource()).isEqualTo("synthetic blobs");
    assertThat(t.backend()).contains("oneDNN");
    assertThat(r.validationImages().size()).isEqualTo(60);
    assertThat(r.trainingImages().size()).isEqualTo(240);
  }

  @Test
  void theValidationErrorIsTheMeanReconstructionErrorOfTheKeptWeights() {
    Dl4jTrainer.Result r = TinyModels.trained();
    ImageBatch v = r.validationImages();
    float[][] out = r.autoencoder().reconstruct(v);
    double sum = 0;
    for (int i = 0; i < v.size(); i++) {
      sum += ReconstructionError.BINARY_CROSS_ENTROPY.of(v.image(i), out[i]);
    }
    assertThat(sum / v.size()).isCloseTo(r.autoencoder().info().training().bestValidationError(),
        org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void theSameSeedAndDataGiveTheSameWeights() {
    ImageBatch images = TinyModels.blobs(120, 3);
    Dl4jTrainer trainer = TinyModels.trainer().epochs(1).build();
    String a = trainer.train(images).autoencoder().fingerprint();
    String b = trainer.train(images).autoencoder().fingerprint();
    String other = TinyModels.trainer().epochs(1).seed(8).build().train(images).autoencoder().fingerprint();
    assertThat(a).isEqualTo(b).isNotEqualTo(other);
  }

  @Test
  void earlyStoppingStopsAfterThePatienceRunsOut() {
    List<String> events = new ArrayList<>();
    Dl4jTrainer.Result r = TinyModels.trainer().epochs(30).patience(1).learningRate(0.5)
        .listener(new TrainingListener() {
          @Override
          public void onEpoch(int epoch, double trainingLoss, double validationError, boolean best) {
            events.add(epoch + ":" + best);
          }
        })
        .build().train(TinyModels.blobs(100, 4));
    assertThat(r.history().size()).isLessThan(30);
    assertThat(events).hasSize(r.history().size());
    assertThat(events.get(events.size() - 1)).endsWith(":false");
  }

  @Test
  void denoisingModeTrainsOnNoisyInputsAgainstCleanTargets() {
    List<Double> losses = new ArrayList<>();
    Dl4jTrainer.Result r = TinyModels.trainer().epochs(1).denoise(0.5)
        .listener(new TrainingListener() {
          @Override
          public void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond) {
            losses.add(loss);
            assertThat(imagesPerSecond).isPositive();
            assertThat(batches).isEqualTo(3);
          }
        })
        .build().train(TinyModels.blobs(100, 5));
    assertThat(losses).hasSize(3);
    assertThat(r.autoencoder().info().training().denoiseFactor()).isEqualTo(0.5);
  }

  @Test
  void theReferenceNetworkTrainsAsNativeOpsAndTheModelRecordsIt() {
    TrainingRun run = new TrainingRun(TinyModels.trainer().build(), TrainingSplit.of(TinyModels.blobs(20, 1), 0.2, 1));
    try (run) {
      assertThat(run.usesTrainingPlan()).isTrue();
      assertThat(run.lanes()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
    assertThat(TinyModels.trained().autoencoder().info().training().backend()).contains("trained as native ops on");
    assertThat(TinyModels.trainer().trainingPlan(false).epochs(1).build().train(TinyModels.blobs(60, 2)).autoencoder()
        .info().training().backend()).endsWith(", trained by DL4J");
  }

  @Test
  void theOpPlanAndDl4jTrainTheSameModelWithinFloatRounding() {
    ImageBatch images = TinyModels.blobs(200, 6);
    for (Dl4jTrainer.Builder trainer : List.of(TinyModels.trainer().epochs(3),
        Dl4jTrainer.builder(TinyModels.ARCHITECTURE).epochs(3).batchSize(32).seed(7).validationFraction(0.2)
            .denoise(0.3))) {
      Dl4jTrainer.Builder reference = trainer;
      Dl4jTrainer.Result planned = trainer.trainingPlan(true).build().train(images);
      Dl4jTrainer.Result dl4j = reference.trainingPlan(false).build().train(images);
      for (int e = 0; e < planned.history().size(); e++) {
        Dl4jTrainer.EpochStats p = planned.history().get(e);
        Dl4jTrainer.EpochStats d = dl4j.history().get(e);
        assertThat(p.trainingLoss()).as("epoch %d loss", e + 1).isCloseTo(d.trainingLoss(),
            org.assertj.core.data.Offset.offset(1e-4 * d.trainingLoss()));
        assertThat(p.validationError()).as("epoch %d validation", e + 1).isCloseTo(d.validationError(),
            org.assertj.core.data.Offset.offset(1e-4 * d.validationError()));
      }
      float[][] a = planned.autoencoder().reconstruct(planned.validationImages());
      float[][] b = dl4j.autoencoder().reconstruct(dl4j.validationImages());
      assertThat(Networks.maxDifference(a, b)).isLessThan(1e-3);
    }
  }

  @Test
  void badSettingsAreRefusedByName() {
    Dl4jTrainer.Builder b = Dl4jTrainer.builder(TinyModels.ARCHITECTURE);
    assertThatThrownBy(() -> b.epochs(0)).hasMessage("epochs must be at least 1, but was 0");
    assertThatThrownBy(() -> b.batchSize(-1)).hasMessage("batchSize must be at least 1, but was -1");
    assertThatThrownBy(() -> b.validationFraction(1.0)).hasMessage("validationFraction must be in [0, 1), but was 1.0");
    assertThatThrownBy(() -> b.learningRate(0)).hasMessage("learningRate must be a finite value greater than 0, but was 0.0");
    assertThatThrownBy(() -> b.denoise(-0.5)).hasMessage("denoise factor must be a finite value of at least 0, but was -0.5");
    assertThatThrownBy(() -> Dl4jTrainer.builder(TinyModels.ARCHITECTURE).learningRate(0.1).build())
        .hasMessage("learningRate applies to ADAM only; ADADELTA adapts its own step size");
  }

  @Test
  void imagesOfAnotherShapeAreRefused() {
    Dl4jTrainer trainer = TinyModels.trainer().build();
    ImageBatch wrong = ImageBatch.ofFlat(ImageShape.grey(8, 8), new float[64 * 3]);
    assertThatThrownBy(() -> trainer.train(wrong))
        .hasMessage("images shape must be 1x12x12 (the architecture's input shape), but was 1x8x8");
  }

  @Test
  void aSplitWithoutValidationImagesIsRefused() {
    Dl4jTrainer trainer = TinyModels.trainer().validationFraction(0.01).build();
    assertThatThrownBy(() -> trainer.train(TinyModels.blobs(20, 1)))
        .hasMessage("validationFraction 0.01 of 20 images leaves no validation image; use more images or a larger validationFraction");
  }
}
