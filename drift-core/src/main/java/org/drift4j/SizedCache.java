package org.drift4j;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used cache bounded by the memory its values hold rather than by their number,
 * so that a service that sees many batch sizes keeps them all while they fit. Thread-safe.
 *
 * @param <V> the cached values
 */
final class SizedCache<V> {

  private final long budgetBytes;
  private final ToLongFunction<V> weigher;
  private final LinkedHashMap<Long, V> map = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /**
   * @param budgetBytes the most bytes the values may hold together (one value larger than this is
   *     still kept, alone)
   * @param weigher the bytes one value holds
   */
  SizedCache(long budgetBytes, ToLongFunction<V> weigher) {
    this.budgetBytes = budgetBytes;
    this.weigher = weigher;
  }

  /** The value for {@code key}, or null. */
  synchronized V get(long key) {
    return map.get(key);
  }

  /** Keeps {@code value} unless {@code key} has one already; returns the value kept. */
  synchronized V putIfAbsent(long key, V value) {
    V present = map.get(key);
    if (present != null) {
      return present;
    }
    map.put(key, value);
    bytes += weigher.applyAsLong(value);
    Iterator<Map.Entry<Long, V>> eldest = map.entrySet().iterator();
    while (bytes > budgetBytes && map.size() > 1) {
      Map.Entry<Long, V> e = eldest.next();
      bytes -= weigher.applyAsLong(e.getValue());
      eldest.remove();
    }
    return value;
  }

  /** The number of values held. */
  synchronized int size() {
    return map.size();
  }

  /** The bytes the values hold. */
  synchronized long bytes() {
    return bytes;
  }
}
