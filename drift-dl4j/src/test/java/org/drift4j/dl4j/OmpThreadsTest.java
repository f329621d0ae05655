package org.drift4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.drift4j.ImageBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.nativeblas.NativeOpsHolder;

class OmpThreadsTest {

  /** A runtime with one count for the whole process, the case the coordinator exists for. */
  private static final class ProcessWide implements OmpThreads.Control {
    final AtomicInteger count = new AtomicInteger(4);

    @Override
    public int get() {
      return count.get();
    }

    @Override
    public void set(int threads) {
      count.set(threads);
    }
  }

  @Test
  void aProcessWideCountIsDetectedAsSuch() {
    assertThat(OmpThreads.probePerThread(new ProcessWide())).isFalse();
  }

  @Test
  void theShippedNativesKeepTheCountPerThread() {
    Dl4jBackend.describe();
    assertThat(OmpThreads.forNatives().perThread()).as("libgomp keeps nthreads-var per thread").isTrue();
  }

  /**
   * Small and large chunks from eight threads on a process-wide count: every large chunk runs with
   * the full count, every small one with 1 or the full count, and the count ends where it began.
   * The previous code (each small chunk: read, set 1, run, restore what it read) fails all three: a
   * small chunk that starts while another holds 1 reads 1 and restores 1 last.
   */
  @Test
  void onAProcessWideCountLargeChunksAlwaysGetEveryThreadAndTheCountIsRestored() throws Exception {
    ProcessWide control = new ProcessWide();
    OmpThreads omp = new OmpThreads(control, false);
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    AtomicInteger singleRuns = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int seed = t;
      done.add(pool.submit(() -> {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
          if (r.nextInt(3) > 0) {
            omp.single(() -> {
              int seen = control.get();
              if (seen != 1 && seen != 4) {
                wrong.add("small chunk saw " + seen);
              }
              singleRuns.addAndGet(seen == 1 ? 1 : 0);
              Thread.onSpinWait();
              return null;
            });
          } else {
            omp.multi(() -> {
              int seen = control.get();
              if (seen != 4) {
                wrong.add("large chunk saw " + seen);
              }
              return null;
            });
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(wrong).isEmpty();
    assertThat(control.get()).isEqualTo(4);
    assertThat(singleRuns.get()).as("small chunks did run single-threaded").isPositive();
  }

  @Test
  void concurrentSmallAndLargeBatchesLeaveEveryThreadsCountAsItWas() throws Exception {
    Dl4jAutoencoder ae = TinyModels.trained().autoencoder();
    var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<String>> results = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int seed = t;
      results.add(pool.submit(() -> {
        int before = ops.ompGetMaxThreads();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 15; i++) {
          ImageBatch batch = TinyModels.blobs(1 + r.nextInt(12), i);
          ae.reconstruct(batch);
          if (ops.ompGetMaxThreads() != before) {
            return "count changed from " + before + " to " + ops.ompGetMaxThreads() + " after a batch of " + batch.size();
          }
        }
        return "";
      }));
    }
    for (Future<String> f : results) {
      assertThat(f.get(120, TimeUnit.SECONDS)).isEmpty();
    }
    pool.shutdown();
  }
}
