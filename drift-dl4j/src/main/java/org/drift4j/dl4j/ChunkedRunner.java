package org.drift4j.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.drift4j.ImageBatch;
import org.drift4j.ReconstructionError;

/**
 * Runs batches through a pool of network copies, a chunk of images at a time. Thread-safe: each
 * call borrows a copy of its own for the whole batch.
 */
final class ChunkedRunner {
  private final Dl4jInference inference;
  private final NetworkPool pool;
  private final int chunkImages;

  ChunkedRunner(Dl4jInference inference, int copies, int chunkImages) {
    this.inference = inference;
    this.chunkImages = chunkImages;
    List<NetworkPool.Slot> slots = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      slots.add(inference.slot(Networks.copy(inference.network())));
    }
    this.pool = new NetworkPool(slots);
  }

  float[][] reconstruct(ImageBatch batch) {
    float[][] rows = new float[batch.size()][];
    NetworkPool.Slot slot = pool.borrow();
    try {
      for (int from = 0; from < batch.size(); from += chunkImages) {
        int to = Math.min(batch.size(), from + chunkImages);
        float[][] part = inference.rows(slot, batch.slice(from, to));
        System.arraycopy(part, 0, rows, from, part.length);
      }
    } finally {
      pool.release(slot);
    }
    return rows;
  }

  /** Errors scored chunk by chunk, so that one chunk's reconstructions exist at a time. */
  double[] errors(ImageBatch batch, ReconstructionError measure) {
    double[] errors = new double[batch.size()];
    NetworkPool.Slot slot = pool.borrow();
    try {
      for (int from = 0; from < batch.size(); from += chunkImages) {
        int to = Math.min(batch.size(), from + chunkImages);
        ImageBatch chunk = batch.slice(from, to);
        float[][] rows = inference.rows(slot, chunk);
        double[] part;
        try {
          part = measure.errors(chunk, rows);
        } catch (IllegalStateException e) {
          part = errorsNamingTheImage(batch, from, rows, measure);
        }
        System.arraycopy(part, 0, errors, from, part.length);
      }
    } finally {
      pool.release(slot);
    }
    return errors;
  }

  /** Scores a chunk holding a non-finite value within the whole batch, whose exception names the image by its index there. */
  private static double[] errorsNamingTheImage(ImageBatch batch, int from, float[][] rows, ReconstructionError measure) {
    float[][] whole = new float[batch.size()][];
    Arrays.fill(whole, new float[batch.shape().size()]);
    System.arraycopy(rows, 0, whole, from, rows.length);
    return measure.errors(batch, whole);
  }

  NetworkPool pool() {
    return pool;
  }

  /** Frees the copies' native memory and the inference's kept arrays. */
  void free() {
    pool.free();
    inference.close();
  }
}
