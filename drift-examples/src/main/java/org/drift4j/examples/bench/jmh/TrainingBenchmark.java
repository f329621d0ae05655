package org.drift4j.examples.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.drift4j.ImageBatch;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.drift4j.dl4j.Dl4jTrainer;
import org.drift4j.examples.bench.BenchData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One training epoch of the reference autoencoder on 4,096 images of 28×28×1 (Adam, batch 128). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class TrainingBenchmark {

  static final int IMAGES = 4096;

  ImageBatch images;
  Dl4jTrainer trainer;

  @Setup
  public void setUp() {
    images = BenchData.images(IMAGES, 1);
    trainer = Dl4jTrainer.builder(Dl4jArchitecture.reference(BenchData.SHAPE)).epochs(1).batchSize(128)
        .optimizer(Dl4jTrainer.Optimizer.ADAM).validationFraction(0).build();
  }

  /** Seconds per epoch; images/s = 4,096 / score. */
  @Benchmark
  public Object epoch() {
    return trainer.train(images);
  }
}
