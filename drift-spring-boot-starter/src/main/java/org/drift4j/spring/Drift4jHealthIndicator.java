package org.drift4j.spring;

import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code drift4j} health indicator: {@code UP} with the monitor's details (model fingerprint,
 * baseline id and size, images observed, statistic, threshold, last alarm); the configured alarm
 * status ({@code drift4j.health.alarm-status}, {@code DEGRADED} by default) while an alarm stands
 * ({@link Drift4jAlarms}); {@code DOWN} with the reason when the model or baseline could not be
 * loaded ({@code drift4j.fail-on-missing-baseline=false}).
 *
 * <p>Boot answers {@code DEGRADED} with HTTP 200 (a drifting model still serves). Mapping it to
 * 503 with {@code management.endpoint.health.status.http-mapping.degraded=503} replaces Boot's
 * whole default mapping: list {@code down=503} and {@code out-of-service=503} beside it, or DOWN
 * answers 200. The indicator is in no health group (liveness, readiness) unless configured.
 *
 * <p>Thread-safe: each call reads the monitor's status once.
 */
public final class Drift4jHealthIndicator implements HealthIndicator {

  private final DriftSetup setup;
  private final Drift4jAlarms alarms;

  Drift4jHealthIndicator(DriftSetup setup, Drift4jAlarms alarms) {
    this.setup = Objects.requireNonNull(setup, "setup");
    this.alarms = Objects.requireNonNull(alarms, "alarms");
  }

  @Override
  public Health health() {
    StatusDetails s = StatusDetails.of(setup, alarms);
    Status status = switch (s.status()) {
      case StatusDetails.UP -> Status.UP;
      case StatusDetails.DOWN -> Status.DOWN;
      default -> new Status(s.status(), "drift alarm");
    };
    return Health.status(status).withDetails(s.details()).build();
  }
}
