package org.drift4j.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.drift4j.onnx.OnnxAutoencoder;
import org.drift4j.onnx.OnnxConfig;
import org.drift4j.onnx.OnnxModelException;

/**
 * The models open in this executor JVM, shared by its tasks: a model is opened once per executor
 * (per thread count) and reused by every partition that scores with it, instead of once per
 * partition. Leases are counted: a model is closed only when no task holds it, and only when a
 * task asks for another model (at most one idle model stays open), or by {@link #closeIdle()}.
 *
 * <p>The one piece of JVM-wide state in Drift4j, because an executor's tasks share nothing else
 * that outlives a task (a broadcast value can be dropped and deserialized again, which would leak
 * native sessions). Thread-safe.
 */
final class ExecutorModels {

  private record Key(String sha256, String fingerprint, int threads, int chunkImages) {}

  private static final class Entry {
    final OnnxAutoencoder autoencoder;
    int leases;

    Entry(OnnxAutoencoder autoencoder) {
      this.autoencoder = autoencoder;
    }
  }

  private static final Map<Key, Entry> OPEN = new HashMap<>();
  private static int opened;

  private ExecutorModels() {}

  /** A task's hold on an open model; closing it hands the model back (idempotent, from any thread). */
  static final class Lease implements AutoCloseable {
    private final Key key;
    private final OnnxAutoencoder autoencoder;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Key key, OnnxAutoencoder autoencoder) {
      this.key = key;
      this.autoencoder = autoencoder;
    }

    OnnxAutoencoder autoencoder() {
      return autoencoder;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        release(key);
      }
    }
  }

  /** Opens the model (or takes the one already open) with {@code threads} threads per call. */
  static Lease acquire(SparkModel model, int threads, int chunkImages) {
    Key key = new Key(model.sha256(), model.fingerprint(), threads, chunkImages);
    synchronized (OPEN) {
      Entry entry = OPEN.get(key);
      if (entry == null) {
        closeIdleLocked();
        OnnxConfig config = OnnxConfig.custom().threads(threads).maxChunkImages(chunkImages).build();
        try {
          entry = new Entry(model.open(config));
        } catch (OnnxModelException e) {
          throw new IllegalStateException("the model " + model + " could not be opened on this executor: "
              + e.getMessage(), e);
        }
        OPEN.put(key, entry);
        opened++;
      }
      entry.leases++;
      return new Lease(key, entry.autoencoder);
    }
  }

  private static void release(Key key) {
    synchronized (OPEN) {
      Entry entry = OPEN.get(key);
      if (entry != null) {
        entry.leases--;
      }
    }
  }

  /**
   * Closes the models no task holds.
   *
   * @return how many were closed
   */
  static int closeIdle() {
    synchronized (OPEN) {
      return closeIdleLocked();
    }
  }

  private static int closeIdleLocked() {
    List<OnnxAutoencoder> idle = new ArrayList<>();
    for (Iterator<Entry> it = OPEN.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.leases == 0) {
        idle.add(e.autoencoder);
        it.remove();
      }
    }
    idle.forEach(OnnxAutoencoder::close);
    return idle.size();
  }

  /** {@return how many models this JVM has opened so far, for tests} */
  static int openedSoFar() {
    synchronized (OPEN) {
      return opened;
    }
  }
}
