package org.drift4j.serve;

import java.util.Locale;

/** The server's endpoints: the bounded values of the {@code endpoint} tag. */
enum Endpoint {
  /** {@code POST /v2/models/<name>[/versions/<v>]/infer}. */
  INFER,
  /** {@code POST /}: payload-logger CloudEvents. */
  CLOUDEVENT,
  /** {@code POST /v1/observe}. */
  OBSERVE,
  /** {@code POST /v1/check}. */
  CHECK,
  /** {@code GET /v1/status}. */
  STATUS,
  /** {@code GET /metrics}. */
  METRICS,
  /** The health paths, {@code /health/*} and {@code /v2/health/*}, and model readiness. */
  HEALTH,
  /** {@code GET /v2} and {@code GET /v2/models/<name>}. */
  METADATA,
  /** Anything else. */
  OTHER;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
