package org.drift4j.spark;

import java.util.List;
import java.util.Objects;
import org.drift4j.Baseline;

/**
 * A baseline made on Spark, with how it was made: from every error, or from a uniform sample.
 *
 * <p>A sampled baseline is a baseline of the sampled images: a uniform sample of clean images is
 * itself a set of clean images exchangeable with any later clean image, so the rank tests and the
 * monitor stay calibrated for it exactly as for a baseline of that many images. What sampling
 * costs is precision about the full archive: by the Dvoretzky–Kiefer–Wolfowitz inequality (which
 * holds for sampling without replacement too), with probability at least 99% every quantile of the
 * sample lies within {@link #rankErrorBound()} = sqrt(ln(200) / (2 k)) in rank of the same quantile
 * of all the errors, for a sample of k errors (0.0016 for k = 10^6, 0.0052 for k = 10^5).
 *
 * <p>Immutable and thread-safe.
 *
 * @param baseline the baseline
 * @param population the rows the baseline was made from: the input's images, malformed ones included
 *     ({@link SparkBaselines#compute}), or its non-null errors ({@link SparkBaselines#fromErrors}); all
 *     of them when exact, those sampled from otherwise
 * @param malformed rows without an error (malformed images, or null errors); of the sample, when sampled
 * @param exact whether the baseline holds every error (false: a sample)
 * @param problems up to {@link SparkBaselines#LISTED_PROBLEMS} of the malformed images' problems,
 *     each led by the row's {@code path} where the input has one
 */
public record SparkBaseline(Baseline baseline, long population, long malformed, boolean exact, List<String> problems) {

  /**
   * Checks the fields.
   *
   * @param baseline the baseline
   * @param population the rows the baseline was made from
   * @param malformed rows without an error
   * @param exact whether the baseline holds every error
   * @param problems some of the malformed images' problems (copied)
   * @throws IllegalArgumentException if a count is negative
   */
  public SparkBaseline {
    Objects.requireNonNull(baseline, "baseline");
    problems = List.copyOf(problems);
    if (population < 0 || malformed < 0) {
      throw new IllegalArgumentException("population and malformed must be at least 0, but were " + population + " and "
          + malformed);
    }
  }

  /**
   * {@return with probability at least 99%, the largest difference in rank (a share of the
   * errors) between a quantile of the baseline and that quantile of all the errors; 0 when exact}
   */
  public double rankErrorBound() {
    return exact ? 0 : Math.sqrt(Math.log(200) / (2.0 * baseline.count()));
  }
}
