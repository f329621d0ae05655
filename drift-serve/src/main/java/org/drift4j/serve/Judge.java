package org.drift4j.serve;

import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftMonitor;
import org.drift4j.ImageBatch;

/**
 * Who scores a request: the monitor for the stream endpoints when the server has one (else the
 * detector, one batch at a time), the detector for {@code /v1/check}. Thread-safe, as the
 * monitor and the detector are.
 */
final class Judge {

  private final DriftMonitor monitor;
  private final DriftDetector detector;

  Judge(DriftMonitor monitor, DriftDetector detector) {
    this.monitor = monitor;
    this.detector = detector;
  }

  DriftMonitor monitor() {
    return monitor;
  }

  DriftDetector detector() {
    return detector;
  }

  Baseline baseline() {
    return monitor != null ? monitor.baseline() : detector.baseline();
  }

  /** Adds the images to the stream (monitor), or checks them alone (a server of a detector only). */
  Verdict observe(ImageBatch batch) throws RequestException {
    try {
      return monitor != null ? Verdict.of(monitor.observe(batch)) : Verdict.of(detector.check(batch));
    } catch (IllegalArgumentException e) {
      throw new RequestException(Reason.WRONG_SHAPE, e.getMessage(), e);
    }
  }

  /** Tests the images as one batch, outside the stream. */
  Verdict check(ImageBatch batch) throws RequestException {
    if (detector == null) {
      throw new RequestException(Reason.NOT_FOUND, "/v1/check needs a detector, and this server has none"
          + " (DriftServerBuilder.detector; drift4j serve gives it one)");
    }
    try {
      return Verdict.of(detector.check(batch));
    } catch (IllegalArgumentException e) {
      throw new RequestException(Reason.WRONG_SHAPE, e.getMessage(), e);
    }
  }
}
