package org.drift4j;

import java.io.IOException;

/**
 * Thrown when a stored {@link MonitorSnapshot} cannot be read: not a snapshot, truncated,
 * edited or of another version.
 *
 * <p>Immutable once thrown; safe to share between threads.
 */
public final class MonitorSnapshotException extends IOException {

  private static final long serialVersionUID = 1L;

  MonitorSnapshotException(String message) {
    super(message);
  }

  MonitorSnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
