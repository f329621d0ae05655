package org.drift4j.dl4j;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.deeplearning4j.nn.api.Model;

/**
 * Network copies lent to one caller at a time, since DL4J networks and op plans are not
 * thread-safe. Thread-safe.
 */
final class NetworkPool {

  /** One network copy and, where it has one, its plan of native ops. */
  record Slot(Model net, Dl4jInferencePlan plan) {}

  private final BlockingQueue<Slot> free;
  private final int size;
  private volatile boolean closed;

  NetworkPool(List<Slot> slots) {
    this.size = slots.size();
    this.free = new ArrayBlockingQueue<>(size, false, slots);
  }

  /** A free copy, waiting for one if all are lent. */
  Slot borrow() {
    if (closed) {
      throw new IllegalStateException("this Dl4jAutoencoder is closed");
    }
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free network copy", e);
    }
  }

  /** Returns a copy lent by {@link #borrow}; after {@link #close} it is dropped. */
  void release(Slot slot) {
    if (!closed) {
      free.add(slot);
    }
  }

  /** Any copy, to inspect (not to run). */
  Slot peek() {
    return free.peek();
  }

  int size() {
    return size;
  }

  /** Refuses further borrows and drops the free copies; lent ones are dropped on return. */
  void close() {
    closed = true;
    free.clear();
  }
}
