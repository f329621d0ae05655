/**
 * The Drift4j drift server: {@code DriftServer} serves a monitor or a detector over HTTP (Open
 * Inference Protocol payloads, payload-logger CloudEvents, PNG/JPEG images, Prometheus metrics)
 * on Jetty 12 core.
 */
// micrometer-registry-prometheus is an automatic module (no module-info), named by its manifest
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.drift4j.serve {
  requires transitive org.drift4j;
  requires org.drift4j.micrometer;
  // the HTTP server
  requires org.eclipse.jetty.server;
  // GET /metrics: Micrometer's Prometheus registry, which a caller may hand to the builder
  requires transitive micrometer.registry.prometheus;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  // The server and its builder
  exports org.drift4j.serve;
}
