package org.drift4j.examples.bench.jmh;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.drift4j.Baseline;
import org.drift4j.DriftPolicy;
import org.drift4j.ImageShape;
import org.drift4j.PolicyDecision;
import org.drift4j.ReconstructionError;
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
import org.openjdk.jmh.annotations.Warmup;

/** The decision alone: a batch of 1,000 errors against a baseline of 10,000, per policy. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PolicyBenchmark {

  @Param({"rankTest", "ksTest", "relativeIncrease"})
  String policyName;

  DriftPolicy policy;
  Baseline baseline;
  double[] batch;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(1);
    baseline = Baseline.of(r.doubles(10_000, 0.05, 0.2).toArray(), ReconstructionError.BINARY_CROSS_ENTROPY,
        ImageShape.grey(28, 28), "bench", Instant.EPOCH);
    batch = r.doubles(1_000, 0.05, 0.21).toArray();
    policy = switch (policyName) {
      case "rankTest" -> DriftPolicy.rankTest(0.01);
      case "ksTest" -> DriftPolicy.ksTest(0.01);
      default -> DriftPolicy.relativeIncrease(0.1);
    };
    policy.decide(batch, baseline); // the null simulation for (10000, 1000) happens once, here
  }

  @Benchmark
  public PolicyDecision decide() {
    return policy.decide(batch, baseline);
  }
}
