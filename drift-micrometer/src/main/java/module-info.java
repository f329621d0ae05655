/**
 * Micrometer metrics for Drift4j: {@code DriftMetrics} binds a detector or a monitor to a
 * {@code MeterRegistry}. drift-core never depends on Micrometer; this module does.
 */
// micrometer-core is an automatic module (no module-info), named by its manifest
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.drift4j.micrometer {
  requires transitive org.drift4j;
  // DriftMetrics implements Micrometer's MeterBinder
  requires transitive micrometer.core;
  requires org.slf4j;

  // The binder
  exports org.drift4j.micrometer;
}
