package org.drift4j.dl4j;

import java.io.IOException;

/**
 * Thrown when a file is not a readable Drift4j DL4J model: not ours, truncated, corrupt or too new.
 *
 * <p>Immutable once thrown; safe to share between threads.
 */
public final class Dl4jModelFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  Dl4jModelFormatException(String message) {
    super(message);
  }

  Dl4jModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
