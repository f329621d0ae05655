package org.drift4j.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's own meters, beside those of {@code DriftMetrics}: {@code drift4j.serve.requests}
 * (a timer tagged {@code endpoint} and {@code status}), {@code drift4j.serve.rejected} (a counter
 * tagged {@code reason}, one of {@link Reason}'s), {@code drift4j.serve.events.ignored} (payload
 * logger events without images, tagged {@code kind}) and {@code drift4j.serve.snapshots} (tagged
 * {@code result}). Every tag value comes from a fixed set. Thread-safe.
 */
final class ServeMetrics {

  /** Prefix of the server's meters. */
  static final String PREFIX = "drift4j.serve";

  private final MeterRegistry registry;
  private final String name;
  private final Map<Reason, Counter> rejected = new EnumMap<>(Reason.class);
  private final Map<String, Timer> requests = new ConcurrentHashMap<>();

  ServeMetrics(MeterRegistry registry, String name) {
    this.registry = registry;
    this.name = name;
    for (Reason r : Reason.values()) {
      rejected.put(r, Counter.builder(PREFIX + ".rejected").tag("name", name).tag("reason", r.tag())
          .description("Requests refused, by reason").register(registry));
    }
  }

  void rejected(Reason reason) {
    rejected.get(reason).increment();
  }

  void request(Endpoint endpoint, int status, Duration duration) {
    String key = endpoint.tag() + " " + status;
    requests.computeIfAbsent(key, k -> Timer.builder(PREFIX + ".requests").tag("name", name)
        .tag("endpoint", endpoint.tag()).tag("status", Integer.toString(status))
        .description("HTTP requests answered, by endpoint and status").register(registry)).record(duration);
  }

  void ignored(CloudEvents.Kind kind) {
    Counter.builder(PREFIX + ".events.ignored").tag("name", name).tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
        .description("Payload-logger events without images (responses, feedback), answered 200 and not scored")
        .register(registry).increment();
  }

  void snapshot(boolean written) {
    Counter.builder(PREFIX + ".snapshots").tag("name", name).tag("result", written ? "written" : "failed")
        .description("Monitor snapshots written, or failed to write").register(registry).increment();
  }

  MeterRegistry registry() {
    return registry;
  }
}
