package org.drift4j.spring;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts the alarm status ({@code DEGRADED} by default) into Boot's health status order when the
 * application sets no order of its own: Boot's aggregation ignores a status missing from the
 * order, so without this a DEGRADED drift4j indicator would leave the overall health UP. The
 * order is Boot's default with the alarm status between OUT_OF_SERVICE and UP, added as the
 * lowest-precedence property source; any order the application sets wins (then list the alarm
 * status in it yourself).
 */
final class HealthStatusOrder implements EnvironmentPostProcessor {

  static final String ORDER = "management.endpoint.health.status.order";
  static final String SOURCE = "drift4jHealthStatusOrder";
  private static final Set<String> STANDARD = Set.of("UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getProperty("drift4j.enabled", Boolean.class, true) || environment.containsProperty(ORDER)
        || environment.containsProperty(ORDER + "[0]")) {
      return;
    }
    String code = environment.getProperty("drift4j.health.alarm-status", Drift4jProperties.DEFAULT_ALARM_STATUS)
        .toUpperCase(Locale.ROOT).replace('-', '_');
    if (STANDARD.contains(code)) {
      return;
    }
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE,
        Map.of(ORDER, "DOWN,OUT_OF_SERVICE," + code + ",UP,UNKNOWN")));
  }
}
