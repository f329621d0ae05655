package org.drift4j.examples.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftReport;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;
import org.drift4j.spi.Autoencoder;
import org.drift4j.examples.bench.BenchData;
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
 * {@code DriftDetector.check()} end to end (reconstruction, errors, rank test, report), per batch
 * size and engine (DL4J, or its ONNX export on ONNX Runtime).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
public class CheckBenchmark {

  @Param({"1", "32", "256"})
  int batch;

  @Param({"dl4j", "onnx"})
  String engine;

  Autoencoder autoencoder;
  DriftDetector detector;
  ImageBatch images;

  @Setup
  public void setUp() {
    autoencoder = BenchData.model(engine);
    Baseline baseline = Baseline.compute(autoencoder, BenchData.images(2000, 2), ReconstructionError.BINARY_CROSS_ENTROPY);
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
  public DriftReport check() {
    return detector.check(images);
  }
}
