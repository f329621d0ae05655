package org.drift4j.onnx;

import java.io.IOException;

/** Thrown when a file or byte array is not a usable ONNX autoencoder. */
public final class OnnxModelException extends IOException {

  private static final long serialVersionUID = 1L;

  OnnxModelException(String message) {
    super(message);
  }

  OnnxModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
