package org.drift4j.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code drift4j} Actuator endpoint: {@code GET /actuator/drift4j} reads the status the health
 * indicator reports, with its details; {@code POST /actuator/drift4j} resets the monitor and ends
 * any standing alarm ({@link Drift4jAlarms#reset()}). Expose it with
 * {@code management.endpoints.web.exposure.include=health,drift4j}; keep the write operation
 * behind your management security, or limit it with
 * {@code management.endpoint.drift4j.access=read-only}.
 *
 * <p>Thread-safe.
 */
@Endpoint(id = "drift4j")
public final class Drift4jEndpoint {

  private final DriftSetup setup;
  private final Drift4jAlarms alarms;

  Drift4jEndpoint(DriftSetup setup, Drift4jAlarms alarms) {
    this.setup = Objects.requireNonNull(setup, "setup");
    this.alarms = Objects.requireNonNull(alarms, "alarms");
  }

  /** {@return the status ({@code UP}, the alarm status or {@code DOWN}) and its details} */
  @ReadOperation
  public Map<String, Object> status() {
    StatusDetails s = StatusDetails.of(setup, alarms);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", s.status());
    body.putAll(s.details());
    return body;
  }

  /** {@return the status after resetting the monitor and ending any standing alarm} */
  @WriteOperation
  public Map<String, Object> reset() {
    alarms.reset();
    return status();
  }
}
