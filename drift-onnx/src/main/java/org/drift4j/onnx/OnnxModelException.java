package org.drift4j.onnx;

import java.io.IOException;

/**
 * Thrown when a file or byte array is not a usable ONNX autoencoder.
 *
 * <p>Immutable once thrown; safe to share between threads.
 */
public final class OnnxModelException extends IOException {

  private static final long serialVersionUID = 1L;

  OnnxModelException(String message) {
    super(message);
  }

  OnnxModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
