package org.drift4j.testkit;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.reflect.Method;

/**
 * Heap bytes the current thread allocates, as HotSpot counts them: memory bounds as assertions.
 * Reached by reflection, since drift-core's module (where its tests run) reads neither
 * java.management nor jdk.management.
 */
public final class Allocations {

  private static final Object THREADS;
  private static final Method ALLOCATED;
  private static final boolean COUNTED;

  static {
    Object threads = null;
    Method allocated = null;
    boolean counted = false;
    try {
      threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
      Class<?> bean = Class.forName("com.sun.management.ThreadMXBean");
      allocated = bean.getMethod("getThreadAllocatedBytes", long.class);
      counted = bean.isInstance(threads)
          && (boolean) bean.getMethod("isThreadAllocatedMemorySupported").invoke(threads)
          && (boolean) bean.getMethod("isThreadAllocatedMemoryEnabled").invoke(threads);
    } catch (ReflectiveOperationException | RuntimeException e) {
      counted = false;
    }
    THREADS = threads;
    ALLOCATED = allocated;
    COUNTED = counted;
  }

  private Allocations() {}

  /** Skips the test where the JVM does not count allocations per thread. */
  public static void assumeCounted() {
    assumeThat(COUNTED).as("this JVM counts allocated bytes per thread").isTrue();
  }

  /** Bytes allocated by the current thread so far. */
  public static long sofar() {
    try {
      return (long) ALLOCATED.invoke(THREADS, Thread.currentThread().getId());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
