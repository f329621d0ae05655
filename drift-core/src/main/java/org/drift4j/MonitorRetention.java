package org.drift4j;

import java.util.concurrent.locks.Lock;
import org.drift4j.spi.Autoencoder;

/**
 * The last images a {@link DriftMonitor} saw, kept to explain its window
 * ({@link DriftMonitorConfig#retainedImages()}): a ring of pixels and stream indices, filled under
 * the monitor's lock in stream order (one array copy per call), read out under it and explained
 * outside it. Not thread-safe by itself: the monitor's lock guards it.
 */
final class MonitorRetention {

  private final DriftExplainer explainer;
  private final ImageShape shape;
  private final int capacity;
  private final float[] pixels;
  private final long[] indices;
  private long added;

  MonitorRetention(DriftExplainer explainer, ImageShape shape, int capacity) {
    this.explainer = explainer;
    this.shape = shape;
    this.capacity = capacity;
    long values = (long) capacity * shape.size();
    if (values > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("retainedImages " + capacity + " of shape " + shape + " would hold " + values
          + " pixel values, more than one Java array holds (" + (Integer.MAX_VALUE - 8) + "); retain fewer images");
    }
    this.pixels = new float[(int) values];
    this.indices = new long[capacity];
  }

  /**
   * The retention a monitor's config asks for, or null for none.
   *
   * @throws IllegalArgumentException if images are to be retained by a monitor of errors, or the
   *     baseline has no per-pixel statistics
   */
  static MonitorRetention of(int images, Autoencoder autoencoder, Baseline baseline) {
    if (images == 0) {
      return null;
    }
    if (autoencoder == null) {
      throw new IllegalArgumentException("retainedImages " + images + " needs a monitor that scores images: build it"
          + " with builder(autoencoder, baseline), or retain no images");
    }
    return new MonitorRetention(DriftExplainer.builder(autoencoder, baseline).build(), baseline.shape(), images);
  }

  /** {@code retention}, unless it is null. */
  static MonitorRetention require(MonitorRetention retention) {
    if (retention == null) {
      throw new IllegalStateException("this monitor retains no images to explain; build it with"
          + " DriftMonitorConfig.custom().retainedImages(n) (n images of the model's shape are kept in memory)");
    }
    return retention;
  }

  /** Keeps {@code batch}'s images (the last {@code capacity} of them), image i as stream image first + i. */
  void add(ImageBatch batch, long first) {
    int m = batch.size();
    int n = shape.size();
    for (int i = Math.max(0, m - capacity); i < m;) {
      int slot = (int) (added % capacity);
      int run = Math.min(m - i, capacity - slot);
      batch.copyTo(i, i + run, pixels, slot * n);
      for (int r = 0; r < run; r++) {
        indices[slot + r] = first + i + r;
      }
      added += run;
      i += run;
    }
  }

  /** Forgets every image (after a restore, whose stream indices the kept ones no longer fit). */
  void clear() {
    added = 0;
  }

  /**
   * Explains the kept images whose stream index is at least {@code from}: copies them out under
   * {@code lock}, explains them outside it.
   *
   * @throws IllegalStateException if no kept image is that recent
   */
  DriftExplanation explain(long from, int top, Lock lock, ImagePreprocessing preprocessing) {
    float[] window;
    long[] windowIndices;
    lock.lock();
    try {
      int kept = (int) Math.min(added, capacity);
      int oldest = (int) ((added - kept) % capacity);
      int skip = 0;
      while (skip < kept && indices[(oldest + skip) % capacity] < from) {
        skip++;
      }
      int count = kept - skip;
      if (count == 0) {
        throw new IllegalStateException("the monitor retains no image from stream image " + from + " on (it keeps the"
            + " last " + capacity + " images it scored, " + kept + " now" + (kept == 0 ? ""
                : ", the oldest being stream image " + indices[oldest]) + ")");
      }
      int n = shape.size();
      window = new float[count * n];
      windowIndices = new long[count];
      for (int j = 0; j < count; j++) {
        int slot = (oldest + skip + j) % capacity;
        System.arraycopy(pixels, slot * n, window, j * n, n);
        windowIndices[j] = indices[slot];
      }
    } finally {
      lock.unlock();
    }
    return explainer.explain(ImageBatch.ofFlat(shape, window, preprocessing), windowIndices, top);
  }
}
