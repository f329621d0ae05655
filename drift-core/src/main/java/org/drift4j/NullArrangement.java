package org.drift4j;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One draw from the rank null: which of the n + m pooled positions (in increasing order of value)
 * hold the baseline's n values and which the batch's m. Under the null hypothesis every
 * arrangement is equally likely, and without ties the rank quantities follow from the
 * arrangement alone.
 *
 * <p>Kept as a bit set of the pool, of whichever sample is smaller, drawn with Floyd's algorithm:
 * a draw costs min(n, m) random numbers plus (n + m) / 64 words to clear, and
 * {@link #batchAbove}, {@link #batchBelow} and {@link #rankSum} need no sort. (Sorting the m batch
 * positions, as before, cost m log m per draw: 28 to 60 s for the first batch of 100,000 images.)
 *
 * <p>Not thread-safe: one per simulating thread, reused for every draw.
 */
final class NullArrangement implements RankCounts {

  private final int n;
  private final int m;
  private final int pool;
  /** Whether set bits are baseline positions (else batch positions). */
  private final boolean setIsBaseline;
  private final int setCount;
  private final long[] words;
  private final long lastWordMask;
  /** Sum of the positions of the set bits. */
  private long setSum;

  NullArrangement(int n, int m) {
    this.n = n;
    this.m = m;
    this.pool = n + m;
    this.setIsBaseline = n <= m;
    this.setCount = Math.min(n, m);
    this.words = new long[(pool + 63) >>> 6];
    this.lastWordMask = (pool & 63) == 0 ? -1L : (1L << (pool & 63)) - 1;
  }

  /** Replaces this arrangement with a uniformly random one (Floyd's algorithm). */
  void draw(SplittableRandom random) {
    Arrays.fill(words, 0);
    long sum = 0;
    for (int j = pool - setCount; j < pool; j++) {
      int t = below(random, j + 1);
      // t if free, else j (never taken yet): without a branch, which half-full pools mispredict
      long taken = (words[t >>> 6] >>> t) & 1L;
      int pick = t + (int) ((j - t) & -taken);
      words[pick >>> 6] |= 1L << pick;
      sum += pick;
    }
    setSum = sum;
  }

  /**
   * A uniform integer in [0, bound) by Lemire's multiply-and-shift with rejection: exact, and
   * without the division {@link SplittableRandom#nextInt(int)} pays on every draw.
   */
  private static int below(SplittableRandom random, int bound) {
    long product = (random.nextLong() >>> 32) * bound;
    long low = product & 0xFFFF_FFFFL;
    if (low < bound) {
      long threshold = (0x1_0000_0000L - bound) % bound;
      while (low < threshold) {
        product = (random.nextLong() >>> 32) * bound;
        low = product & 0xFFFF_FFFFL;
      }
    }
    return (int) (product >>> 32);
  }

  /** Places the baseline at the given increasing positions (for tests). */
  void place(int[] baselinePositions) {
    Arrays.fill(words, 0);
    long sum = 0;
    boolean[] baseline = new boolean[pool];
    for (int p : baselinePositions) {
      baseline[p] = true;
    }
    for (int p = 0; p < pool; p++) {
      if (baseline[p] == setIsBaseline) {
        words[p >>> 6] |= 1L << p;
        sum += p;
      }
    }
    setSum = sum;
  }

  private boolean isSet(int position) {
    return (words[position >>> 6] & (1L << position)) != 0;
  }

  /** Whether the value at {@code position} (0 = smallest) is a baseline value. */
  boolean isBaseline(int position) {
    return isSet(position) == setIsBaseline;
  }

  @Override
  public int baselineSize() {
    return n;
  }

  @Override
  public int batchSize() {
    return m;
  }

  @Override
  public double rankSum() {
    long all = (long) pool * (pool - 1) / 2;
    long batchPositions = setIsBaseline ? all - setSum : setSum;
    // the i-th smallest batch value at position p has p - i baseline values below it
    return batchPositions - (long) m * (m - 1) / 2;
  }

  @Override
  public int batchAbove(int k) {
    int p = kthBaselineFromTop(k);
    // above position p: pool - 1 - p values, k - 1 of them baseline
    return pool - p - k;
  }

  @Override
  public int batchBelow(int k) {
    // below position p: p values, k - 1 of them baseline
    return kthBaselineFromBottom(k) - k + 1;
  }

  /** The two-sample Kolmogorov–Smirnov distance, evaluated as {@link KsTestPolicy#distance} does. */
  double ksDistance() {
    double nd = n;
    double d = 0;
    int a = 0;
    int b = 0;
    for (int p = 0; p < pool; p++) {
      if (isBaseline(p)) {
        b++;
      } else {
        d = Math.max(d, b / nd - (double) a / m);
        d = Math.max(d, (a + 1.0) / m - b / nd);
        a++;
      }
    }
    return d;
  }

  private long baselineWord(int i) {
    long w = setIsBaseline ? words[i] : ~words[i];
    return i == words.length - 1 ? w & lastWordMask : w;
  }

  private int kthBaselineFromBottom(int k) {
    int left = k;
    for (int i = 0; i < words.length; i++) {
      long w = baselineWord(i);
      int c = Long.bitCount(w);
      if (left <= c) {
        for (int j = 1; j < left; j++) {
          w &= w - 1;
        }
        return (i << 6) + Long.numberOfTrailingZeros(w);
      }
      left -= c;
    }
    throw new IllegalArgumentException("k must be at most " + n + ", but was " + k);
  }

  private int kthBaselineFromTop(int k) {
    int left = k;
    for (int i = words.length - 1; i >= 0; i--) {
      long w = baselineWord(i);
      int c = Long.bitCount(w);
      if (left <= c) {
        for (int j = 1; j < left; j++) {
          w &= ~Long.highestOneBit(w);
        }
        return (i << 6) + 63 - Long.numberOfLeadingZeros(w);
      }
      left -= c;
    }
    throw new IllegalArgumentException("k must be at most " + n + ", but was " + k);
  }
}
