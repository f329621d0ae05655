package org.drift4j.internal;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Lets calls into native resources run concurrently and makes closing wait for them: a call
 * enters, runs and leaves; {@link #close} refuses new calls at once, then blocks until the calls
 * in flight have left, then frees the resources. So no native session or array is ever freed
 * under a running call. Thread-safe.
 */
public final class CallGate {

  private final String what;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean closed;
  private boolean freed;

  /**
   * A gate for one resource.
   *
   * @param what how errors name the resource, e.g. "this OnnxAutoencoder"
   */
  public CallGate(String what) {
    this.what = what;
  }

  /**
   * Runs {@code call} unless the resource is closed.
   *
   * @param call the work, which may use the resource until it returns
   * @param <T> the result type
   * @return what the call returned
   * @throws IllegalStateException if the resource is closed or closing
   */
  public <T> T call(Supplier<T> call) {
    // refuse at once: a reader queued behind close's write lock would wait for the close to finish
    if (closed) {
      throw new IllegalStateException(what + " is closed");
    }
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(what + " is closed");
      }
      return call.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Refuses new calls, waits for the calls in flight, then runs {@code free} once; a second
   * {@code close} returns once the first has freed the resource. Must not be called from within a
   * call (it would wait for itself).
   *
   * @param free releases the resource
   */
  public synchronized void close(Runnable free) {
    if (freed) {
      return;
    }
    closed = true;
    lock.writeLock().lock();
    try {
      free.run();
      freed = true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Whether {@link #close} has been called.
   *
   * @return true once closing has begun
   */
  public boolean isClosed() {
    return closed;
  }
}
