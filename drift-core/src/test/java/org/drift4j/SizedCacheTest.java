package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizedCacheTest {

  @Test
  void theLeastRecentlyUsedValuesGoOnceTheBudgetIsExceeded() {
    SizedCache<byte[]> cache = new SizedCache<>(30, v -> v.length);
    cache.putIfAbsent(1, new byte[10]);
    cache.putIfAbsent(2, new byte[10]);
    cache.putIfAbsent(3, new byte[10]);
    assertThat(cache.get(1)).isNotNull(); // 1 is now the most recently used
    cache.putIfAbsent(4, new byte[10]);
    assertThat(cache.get(2)).isNull();
    assertThat(cache.get(1)).isNotNull();
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.bytes()).isEqualTo(30);
  }

  @Test
  void aValueLargerThanTheBudgetIsKeptAlone() {
    SizedCache<byte[]> cache = new SizedCache<>(30, v -> v.length);
    cache.putIfAbsent(1, new byte[10]);
    byte[] big = new byte[100];
    assertThat(cache.putIfAbsent(2, big)).isSameAs(big);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.get(2)).isSameAs(big);
  }

  @Test
  void theFirstValueForAKeyWins() {
    SizedCache<byte[]> cache = new SizedCache<>(30, v -> v.length);
    byte[] first = new byte[1];
    cache.putIfAbsent(1, first);
    assertThat(cache.putIfAbsent(1, new byte[2])).isSameAs(first);
    assertThat(cache.bytes()).isEqualTo(1);
  }
}
