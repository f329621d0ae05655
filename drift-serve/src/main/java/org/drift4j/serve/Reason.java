package org.drift4j.serve;

import java.util.Locale;

/** Why a request was refused: the bounded values of the {@code reason} tag of rejected requests. */
enum Reason {
  /** The body is not what the endpoint reads: bad JSON, missing fields, undecodable images. */
  MALFORMED(400),
  /** The pixels are not what the datatype promises (outside [0, 1], not integers in 0–255). */
  INVALID_PIXELS(400),
  /** A CloudEvent without its required attributes, or of a spec version other than 1.0. */
  INVALID_CLOUDEVENT(400),
  /** The tensor or the images do not have the model's shape. */
  WRONG_SHAPE(422),
  /** The body is longer than the limit. */
  TOO_LARGE(413),
  /** The request holds more images than the limit. */
  TOO_MANY_IMAGES(413),
  /** The Content-Type is not one the endpoint reads. */
  UNSUPPORTED_MEDIA_TYPE(415),
  /** No such endpoint or model. */
  NOT_FOUND(404),
  /** The endpoint exists but not for this method. */
  METHOD_NOT_ALLOWED(405),
  /** The server is stopping or not started. */
  UNAVAILABLE(503),
  /** A failure of the server or the model, not of the request. */
  INTERNAL(500);

  private final int status;

  Reason(int status) {
    this.status = status;
  }

  /** {@return the HTTP status this reason answers with} */
  int status() {
    return status;
  }

  /** {@return the tag value: the name in lower case} */
  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
