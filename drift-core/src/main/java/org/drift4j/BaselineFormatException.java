package org.drift4j;

import java.io.IOException;

/**
 * Thrown when a stored baseline cannot be read: not a baseline, corrupt, truncated or too new.
 *
 * <p>Immutable once thrown; safe to share between threads.
 */
public final class BaselineFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  BaselineFormatException(String message) {
    super(message);
  }

  BaselineFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
