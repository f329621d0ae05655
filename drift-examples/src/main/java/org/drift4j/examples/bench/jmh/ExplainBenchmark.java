package org.drift4j.examples.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftExplainer;
import org.drift4j.DriftExplanation;
import org.drift4j.DriftReport;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.examples.bench.BenchData;
import org.drift4j.spi.Autoencoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a {@link DriftExplanation} (reconstruction chunk by chunk, per-pixel errors, z-map,
 * Benjamini–Hochberg, regions, the 16 most anomalous images), beside {@code check()} of the same
 * batch, per batch size and engine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
public class ExplainBenchmark {

  @Param({"32", "256", "1000"})
  int batch;

  @Param({"dl4j", "onnx"})
  String engine;

  Autoencoder autoencoder;
  DriftExplainer explainer;
  DriftDetector detector;
  ImageBatch images;

  @Setup
  public void setUp() {
    autoencoder = BenchData.model(engine);
    Baseline baseline = Baseline.compute(autoencoder, BenchData.images(2000, 2), ReconstructionError.BINARY_CROSS_ENTROPY);
    explainer = DriftExplainer.builder(autoencoder, baseline).build();
    detector = DriftDetector.builder(autoencoder, baseline).build();
    images = BenchData.images(batch, 3);
  }

  @TearDown
  public void tearDown() throws Exception {
    if (autoencoder instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Benchmark
  public DriftExplanation explain() {
    return explainer.explain(images, 16);
  }

  @Benchmark
  public DriftReport check() {
    return detector.check(images);
  }
}
