package org.drift4j.dl4j;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.deeplearning4j.nn.api.Model;

/**
 * Network copies lent to one caller at a time, since DL4J networks and op plans are not
 * thread-safe. Thread-safe; {@link #free} runs under {@link Dl4jAutoencoder}'s call gate, once
 * every copy has been returned.
 */
final class NetworkPool {

  /** One network copy and, where it has one, its plan of native ops. */
  record Slot(Model net, Dl4jInferencePlan plan) {
    /** Frees the copy's parameters and the plan's kept arrays. */
    void free() {
      if (plan != null) {
        plan.close();
      }
      Networks.free(net);
    }
  }

  private final List<Slot> slots;
  private final BlockingQueue<Slot> free;

  NetworkPool(List<Slot> slots) {
    this.slots = List.copyOf(slots);
    this.free = new ArrayBlockingQueue<>(slots.size(), false, slots);
  }

  /** A free copy, waiting for one if all are lent. */
  Slot borrow() {
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free network copy", e);
    }
  }

  /** Returns a copy lent by {@link #borrow}. */
  void release(Slot slot) {
    free.add(slot);
  }

  /** Every copy, lent or not (for tests). */
  List<Slot> slots() {
    return slots;
  }

  int size() {
    return slots.size();
  }

  /** Frees every copy; only once no call holds one (the caller's gate sees to it). */
  void free() {
    free.clear();
    for (Slot slot : slots) {
      slot.free();
    }
  }
}
