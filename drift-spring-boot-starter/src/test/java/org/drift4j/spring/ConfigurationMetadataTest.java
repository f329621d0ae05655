package org.drift4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration processor wrote {@code META-INF/spring-configuration-metadata.json} into the
 * starter's jar, listing every drift4j property (and the drift4j endpoint's access) with its type, description and default, so that
 * IDEs complete the keys.
 */
class ConfigurationMetadataTest {

  @Test
  void theMetadataListsEveryPropertyWithTypeDescriptionAndDefault() throws Exception {
    URL classes = Drift4jProperties.class.getProtectionDomain().getCodeSource().getLocation();
    URL file = new URL(classes, "META-INF/spring-configuration-metadata.json");
    JsonNode metadata;
    try (InputStream in = file.openStream()) {
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, JsonNode> properties = new HashMap<>();
    metadata.path("properties").forEach(p -> properties.put(p.path("name").asText(), p));
    assertThat(properties).containsKeys("management.endpoint.drift4j.access"); // the endpoint's, from Boot's processor
    properties.keySet().removeIf(name -> !name.startsWith("drift4j."));
    assertThat(properties).containsOnlyKeys("drift4j.enabled", "drift4j.name", "drift4j.fail-on-missing-baseline",
        "drift4j.model.location", "drift4j.model.engine", "drift4j.model.threads", "drift4j.baseline.location",
        "drift4j.baseline.preprocessing", "drift4j.monitor.expected-run-time", "drift4j.monitor.confidence",
        "drift4j.monitor.after-alarm", "drift4j.monitor.window", "drift4j.monitor.calibration-cache",
        "drift4j.detector.alpha", "drift4j.health.alarm-status", "drift4j.health.alarm-hold");
    properties.forEach((name, p) -> assertThat(p.path("description").asText()).as(name).isNotBlank());
    assertThat(properties.get("drift4j.model.location").path("type").asText())
        .isEqualTo("org.springframework.core.io.Resource");
    assertThat(properties.get("drift4j.monitor.expected-run-time").path("defaultValue").asLong()).isEqualTo(10_000);
    assertThat(properties.get("drift4j.detector.alpha").path("defaultValue").asDouble()).isEqualTo(0.01);
    assertThat(properties.get("drift4j.health.alarm-status").path("defaultValue").asText()).isEqualTo("DEGRADED");
    assertThat(properties.get("drift4j.model.engine").path("defaultValue").asText()).isEqualTo("onnx");
  }
}
