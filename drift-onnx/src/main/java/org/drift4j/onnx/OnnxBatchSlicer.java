package org.drift4j.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.drift4j.internal.ChunkSizes;

/**
 * Cuts batches into slices that single-threaded sessions score at the same time, one on the
 * calling thread and the others on helper threads. Thread-safe; {@link #close()} stops the
 * helpers once their work is done.
 */
final class OnnxBatchSlicer implements AutoCloseable {

  static final int HELPER_KEEP_ALIVE_SECONDS = 30;

  private static final AtomicInteger HELPER_NUMBER = new AtomicInteger();

  /** Work on images {@code from}..{@code to} of a batch with a session. */
  @FunctionalInterface
  interface SliceWork {
    void run(OrtSession session, int from, int to) throws OrtException;
  }

  /** Which session runs a slice: the single-threaded one, or (true) one on ONNX Runtime's threads. */
  @FunctionalInterface
  interface SessionChoice {
    OrtSession session(boolean multiThread);
  }

  private final int threads;
  private final int maxChunkImages;
  /** The fewest pixel values (images × C × H × W) in a slice scored on one thread. */
  private final int minSliceValues;
  /**
   * An uncut batch (one image) of at least this many values runs with ONNX Runtime's intra-op
   * threads. Measured on the reference network at batch 1, two threads against one: 28×28
   * 1.09× the time, 40×40 0.91×, 64×64 0.76×, 128×128 0.69×.
   */
  private final long multiThreadMinValues;
  private final int imageSize;
  /** Null with one thread. */
  private final ThreadPoolExecutor helpers;

  OnnxBatchSlicer(int threads, int maxChunkImages, int minSliceValues, int imageSize) {
    this.threads = threads;
    this.maxChunkImages = maxChunkImages;
    this.minSliceValues = minSliceValues;
    this.multiThreadMinValues = 2L * minSliceValues;
    this.imageSize = imageSize;
    this.helpers = threads > 1 ? helperPool(threads - 1) : null;
  }

  private static ThreadPoolExecutor helperPool(int size) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, HELPER_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "drift4j-onnx-" + HELPER_NUMBER.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Runs {@code work} over a batch of {@code size} images, chunk by chunk (at most
   * {@code maxChunkImages} images), each chunk cut into up to
   * {@code threads} slices that run at once: the first on this thread, the others on helper
   * threads, or on this thread too where no helper has started them yet (so a busy pool delays
   * no call).
   */
  void run(int size, SessionChoice choice, SliceWork work) {
    for (int from = 0; from < size; from += maxChunkImages) {
      int to = Math.min(size, from + maxChunkImages);
      int count = to - from;
      int slices = slices(count);
      if (slices == 1) {
        boolean multiThread = threads > 1 && (long) count * imageSize >= multiThreadMinValues;
        runSlice(choice.session(multiThread), work, from, to);
      } else {
        runAtOnce(choice.session(false), work, from, count, slices);
      }
    }
  }

  private void runAtOnce(OrtSession single, SliceWork work, int from, int count, int slices) {
    List<FutureTask<Void>> others = new ArrayList<>(slices - 1);
    for (int k = 1; k < slices; k++) {
      int sliceFrom = from + (int) ((long) count * k / slices);
      int sliceTo = from + (int) ((long) count * (k + 1) / slices);
      FutureTask<Void> task = new FutureTask<>(() -> {
        runSlice(single, work, sliceFrom, sliceTo);
        return null;
      });
      others.add(task);
      try {
        helpers.execute(task);
      } catch (RejectedExecutionException e) {
        // closed meanwhile: the task runs on this thread below
      }
    }
    RuntimeException failure = null;
    try {
      runSlice(single, work, from, from + count / slices);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (FutureTask<Void> task : others) {
      task.run(); // does nothing if a helper has started it
      try {
        task.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while scoring a batch", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** How many slices a chunk of {@code count} images is cut into. */
  int slices(int count) {
    long byValues = (long) count * imageSize / minSliceValues;
    return (int) Math.max(1, Math.min(threads, Math.min(count, byValues)));
  }

  /** Images per chunk, for tests. */
  int chunkImages() {
    return maxChunkImages;
  }

  /** The helper threads (null with one thread), for tests. */
  ThreadPoolExecutor helpers() {
    return helpers;
  }

  private static void runSlice(OrtSession session, SliceWork work, int from, int to) {
    try {
      work.run(session, from, to);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + (to - from) + ": " + e.getMessage(), e);
    }
  }

  /** Stops the helper threads once they have finished what they hold. Idempotent. */
  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdown();
    }
  }

  /**
   * Images per chunk: what {@link OnnxConfig#maxChunkBytes()} pays for, at most
   * {@link OnnxConfig#maxChunkImages()}, one image costing its activations and three float copies
   * of its pixels. A model whose metadata says its activations is refused if one image exceeds the
   * budget; for others {@link OnnxConfig#ASSUMED_ACTIVATIONS_PER_INPUT_VALUE} per input value is
   * assumed, and a chunk holds at least one image.
   */
  static int chunkImages(OnnxSessions sessions, OnnxConfig config) {
    int n = sessions.shape().size();
    long known = sessions.activationValuesPerImage();
    long activations = known > 0 ? known : (long) OnnxConfig.ASSUMED_ACTIVATIONS_PER_INPUT_VALUE * n;
    long bytesPerImage = Float.BYTES * (activations + 3L * n);
    long budget = known > 0 ? config.maxChunkBytes() : Math.max(config.maxChunkBytes(), bytesPerImage);
    return ChunkSizes.images(budget, bytesPerImage, config.maxChunkImages(), "maxChunkBytes", sessions.shape());
  }
}
