package org.drift4j.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.drift4j.DriftAlarm;
import org.drift4j.DriftMonitor;
import org.drift4j.MonitorStatus;
import org.jspecify.annotations.Nullable;

/**
 * What the health indicator and the endpoint say about the monitor: one status code and the
 * details behind it, from one reading of the monitor's status.
 *
 * @param status {@code UP}, the configured alarm status, or {@code DOWN} when there is no monitor
 * @param details the details, in a stable order
 */
record StatusDetails(String status, Map<String, Object> details) {

  static final String UP = "UP";
  static final String DOWN = "DOWN";

  static StatusDetails of(DriftSetup setup, Drift4jAlarms alarms) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("engine", setup.engine());
    Optional<DriftMonitor> found = alarms.monitor();
    String failure = setup.failure();
    if (failure != null || found.isEmpty()) {
      details.put("reason", failure != null ? failure : "no DriftMonitor bean");
      details.put("model", setup.modelLocation());
      details.put("baseline", setup.baselineLocation());
      return new StatusDetails(DOWN, details);
    }
    DriftMonitor monitor = found.get();
    MonitorStatus status = monitor.status();
    Optional<DriftAlarm> standing = alarms.standing(status);
    details.put("model", monitor.autoencoderFingerprint());
    details.put("baseline", monitor.baseline().id());
    details.put("baselineImages", monitor.baseline().count());
    details.put("preprocessing", monitor.baseline().preprocessing().id());
    details.put("expectedRunTime", monitor.config().expectedRunTime());
    details.put("afterAlarm", monitor.config().afterAlarm().name().toLowerCase(java.util.Locale.ROOT));
    details.put("images", status.images());
    details.put("imagesSinceRestart", status.imagesSinceRestart());
    details.put("statistic", status.statistic());
    details.put("threshold", status.threshold());
    details.put("level", status.level());
    details.put("leading", status.leading());
    details.put("alarms", status.alarms());
    status.lastAlarm().ifPresent(a -> details.put("lastAlarm", alarm(a)));
    standing.ifPresent(a -> details.put("alarmStands", status.latched() ? "until reset"
        : "until " + alarms.standsUntil(a) + " or reset"));
    return new StatusDetails(standing.isPresent() ? setup.properties().health().alarmStatus() : UP, details);
  }

  private static Map<String, Object> alarm(DriftAlarm a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("number", a.number());
    m.put("time", a.time().toString());
    m.put("image", a.image());
    m.put("changePoint", a.changePoint());
    m.put("cause", a.cause());
    m.put("statistic", a.statistic());
    m.put("threshold", a.threshold());
    m.put("meanError", a.window().meanError());
    m.put("baselineMeanError", a.window().baselineMeanError());
    m.put("outlierShare", a.window().outlierShare());
    return m;
  }

  /** {@return the reason there is no monitor, if there is none} */
  @Nullable Object reason() {
    return details.get("reason");
  }
}
