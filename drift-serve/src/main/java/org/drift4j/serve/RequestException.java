package org.drift4j.serve;

/** A request the server refuses, with the reason (status and tag) and a message for the client. */
final class RequestException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient Reason reason;

  RequestException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  RequestException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
