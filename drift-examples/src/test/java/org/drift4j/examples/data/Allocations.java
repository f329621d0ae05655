package org.drift4j.examples.data;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;

/** Heap bytes the current thread allocates, as HotSpot counts them: memory bounds as assertions. */
final class Allocations {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocations() {}

  /** Skips the test where the JVM does not count allocations per thread. */
  static void assumeCounted() {
    assumeThat(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled())
        .as("this JVM counts allocated bytes per thread").isTrue();
  }

  /** Bytes allocated by the current thread so far. */
  static long sofar() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
