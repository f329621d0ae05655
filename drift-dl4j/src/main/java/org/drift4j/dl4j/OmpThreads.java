package org.drift4j.dl4j;

import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs small chunks with OpenMP on the calling thread alone without changing the thread count
 * other callers run with.
 *
 * <p>The OpenMP specification makes the thread count (the {@code nthreads-var} ICV) a property of
 * each thread's data environment, and the GNU runtime that ND4J's Linux natives use keeps it per
 * thread: measured, a count of 1 set on one Java thread leaves every other thread's at the
 * processor count. A runtime that keeps one count for the process would let one caller's
 * {@code set(1)} slow another's large batch, or a caller restore a value another had set. So the
 * behaviour is tested once, on a helper thread, when this class is first used:
 * <ul>
 *   <li>per thread (the shipped natives): a small chunk sets its own thread's count to 1 and
 *       restores it; nothing is shared;
 *   <li>per process: a counted coordinator. Small chunks switch the count to 1 only while no
 *       multi-threaded chunk is in flight, the first one in saving the count and the last one out
 *       restoring it; a multi-threaded chunk waits for the small chunks in flight (they hold at
 *       most {@link Dl4jInference#SINGLE_THREAD_MAX_IMAGES} images), and small chunks that start
 *       while one runs keep the full count.
 * </ul>
 * Either way every chunk computes the same result; only its speed depends on the count.
 *
 * <p>One instance ({@link #forNatives()}) mirrors the one native setting, which is global state by
 * nature. Thread-safe.
 */
final class OmpThreads {

  /** How the thread count is read and set. */
  interface Control {
    /** The count the calling thread's parallel regions use. */
    int get();

    /** Sets the count for the calling thread (or the process, depending on the runtime). */
    void set(int threads);
  }

  /** Made on first use, apart from this class's initialisation: the probe's helper thread runs this class's code. */
  private static final class Native {
    static final OmpThreads INSTANCE = new OmpThreads(nativeControl());
  }

  private final Control control;
  private final boolean perThread;
  private int singles;
  private int multis;
  private int saved;

  OmpThreads(Control control) {
    this(control, probePerThread(control));
  }

  OmpThreads(Control control, boolean perThread) {
    this.control = control;
    this.perThread = perThread;
  }

  /** The coordinator of ND4J's OpenMP runtime. */
  static OmpThreads forNatives() {
    return Native.INSTANCE;
  }

  private static Control nativeControl() {
    NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    return new Control() {
      @Override
      public int get() {
        return ops.ompGetMaxThreads();
      }

      @Override
      public void set(int threads) {
        ops.setOmpNumThreads(threads);
      }
    };
  }

  /**
   * Whether a count set on one thread leaves the others' alone: a helper thread sets a count one
   * above its own and holds it while this thread reads its own, then restores it.
   */
  static boolean probePerThread(Control control) {
    int mine = control.get();
    CountDownLatch set = new CountDownLatch(1);
    CountDownLatch checked = new CountDownLatch(1);
    Thread helper = new Thread(() -> {
      int before = control.get();
      control.set(before + 1);
      set.countDown();
      try {
        checked.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        control.set(before);
      }
    }, "drift4j-omp-probe");
    helper.start();
    boolean perThread;
    try {
      set.await();
      perThread = control.get() == mine;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      perThread = false;
    } finally {
      checked.countDown();
    }
    try {
      helper.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return perThread;
  }

  /** Whether the runtime keeps the count per thread (tested once, when this was made). */
  boolean perThread() {
    return perThread;
  }

  /** Runs {@code work}, a small chunk, with one OpenMP thread where that disturbs no other caller. */
  <T> T single(Supplier<T> work) {
    if (perThread) {
      int mine = control.get();
      if (mine <= 1) {
        return work.get();
      }
      control.set(1);
      try {
        return work.get();
      } finally {
        control.set(mine);
      }
    }
    boolean counted;
    synchronized (this) {
      counted = multis == 0;
      if (counted && singles++ == 0) {
        saved = control.get();
        if (saved > 1) {
          control.set(1);
        }
      }
    }
    try {
      return work.get();
    } finally {
      if (counted) {
        synchronized (this) {
          if (--singles == 0) {
            if (saved > 1) {
              control.set(saved);
            }
            notifyAll();
          }
        }
      }
    }
  }

  /** Runs {@code work}, a chunk that should use every OpenMP thread. */
  <T> T multi(Supplier<T> work) {
    if (perThread) {
      return work.get();
    }
    synchronized (this) {
      multis++;
      boolean interrupted = false;
      while (singles > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      return work.get();
    } finally {
      synchronized (this) {
        multis--;
      }
    }
  }
}
