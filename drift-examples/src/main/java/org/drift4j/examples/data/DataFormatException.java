package org.drift4j.examples.data;

import java.io.IOException;

/** A data file that is corrupt, truncated, of an unexpected kind, or inconsistent with its labels. */
public final class DataFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public DataFormatException(String message) {
    super(message);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
