package org.drift4j.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.drift4j.spring.TestModels;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The load test of the starter's test application on loopback: {@code clients} concurrent
 * clients, half sending requests of 1 PNG image and half of 32, for {@code seconds} of clean
 * images, then {@code seconds} of drifted (noise) images; it stops by itself. It writes JSON
 * (requests/s, p50/p99 latency per request size, failures, images sent and counted, when the
 * alarm showed in health and metrics, and how many drifted images the monitor had seen when it
 * raised the first alarm, the one that raised it included; -1 when health showed a later one first) to {@code drift4j.load.out}. Asserted: no failed request,
 * the images counted in the metrics equal the images sent, and the alarm visible in health and
 * metrics before the drifted phase ends; the speed is reported, not asserted.
 *
 * <p>In the build it runs short (4 clients, 2 s a phase). The full run:
 * {@code ./mvnw -B -q -pl drift-spring-boot-starter -am verify -Dtest=DriftLoadTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddrift4j.load.clients=16 -Ddrift4j.load.seconds=30}.
 */
class DriftLoadTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Distinct bodies per request size: 64 x 32 clean images, so that the clean stream repeats little. */
  private static final int BODIES = 64;

  private final int clients = Integer.getInteger("drift4j.load.clients", 4);
  private final int seconds = Integer.getInteger("drift4j.load.seconds", 2);
  private final Path out = Path.of(System.getProperty("drift4j.load.out", "target/drift4j-load.json"));
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** What one phase measured. */
  private record Phase(String name, long requests, long images, long failed, double seconds, long[] latencies1,
      long[] latencies32) {

    String json() {
      return String.format(java.util.Locale.ROOT, "{\"phase\": \"%s\", \"requests\": %d, \"images\": %d,"
          + " \"failed\": %d, \"seconds\": %.2f, \"requestsPerSecond\": %.1f, \"imagesPerSecond\": %.1f,"
          + " \"oneImage\": %s, \"thirtyTwoImages\": %s}", name, requests, images, failed, seconds,
          requests / seconds, images / seconds, latency(latencies1), latency(latencies32));
    }

    private static String latency(long[] nanos) {
      if (nanos.length == 0) {
        return "{\"requests\": 0}";
      }
      return String.format(java.util.Locale.ROOT, "{\"requests\": %d, \"p50Ms\": %.2f, \"p99Ms\": %.2f, \"maxMs\": %.2f}",
          nanos.length, percentile(nanos, 0.50) / 1e6, percentile(nanos, 0.99) / 1e6, nanos[nanos.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double q) {
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }
  }

  @Test
  void underConcurrentClientsNoRequestFailsEveryImageIsCountedAndTheDriftAlarms() throws Exception {
    assertThat(clients).as("drift4j.load.clients").isGreaterThanOrEqualTo(2);
    assertThat(seconds).as("drift4j.load.seconds").isGreaterThanOrEqualTo(1);
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DriftTestApplication.class).properties(
        "server.address=127.0.0.1", "server.port=0", "drift4j.name=load",
        "drift4j.model.location=classpath:drift4j-models/model.onnx",
        "drift4j.baseline.location=classpath:drift4j-models/baseline.json", "drift4j.monitor.expected-run-time=1000",
        "management.endpoints.web.exposure.include=health,prometheus,drift4j",
        "management.endpoint.health.show-details=always").run()) {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      URI base = URI.create("http://127.0.0.1:" + port);
      List<String> clean1 = bodies(1, true);
      List<String> clean32 = bodies(32, true);
      List<String> noise1 = bodies(1, false);
      List<String> noise32 = bodies(32, false);

      Phase clean = run("clean", base, clean1, clean32, null);
      double alarmsAfterClean = Requests.meter(scrape(base), "drift4j_monitor_alarms_total");
      reset(base); // a false alarm of the clean phase would stand in health for the hold
      long imagesBeforeDrift = (long) Requests.meter(scrape(base), "drift4j_monitor_images_total");
      AlarmWatch watch = new AlarmWatch(base, alarmsAfterClean);
      Phase drifted = run("drifted", base, noise1, noise32, watch);
      watch.awaitBoth(Duration.ofSeconds(5));

      String metrics = scrape(base);
      long counted = (long) Requests.meter(metrics, "drift4j_monitor_images_total");
      long sent = clean.images() + drifted.images();
      String json = String.format(java.util.Locale.ROOT, "{\"clients\": %d, \"secondsPerPhase\": %d,"
          + " \"processors\": %d, \"phases\": [%s, %s], \"imagesSent\": %d, \"imagesCounted\": %d,"
          + " \"alarmsInCleanPhase\": %.0f, \"alarm\": {\"healthAfterMs\": %d, \"metricsAfterMs\": %d,"
          + " \"driftedImagesAtFirstAlarm\": %d}}%n", clients, seconds,
          Runtime.getRuntime().availableProcessors(), clean.json(), drifted.json(), sent, counted, alarmsAfterClean,
          watch.healthMs.get(), watch.metricsMs.get(),
          watch.firstAlarmImage.get() < 0 ? -1 : watch.firstAlarmImage.get() - imagesBeforeDrift + 1);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, json);
      System.out.print(json);

      assertThat(clean.failed() + drifted.failed()).as("failed requests").isZero();
      assertThat(counted).as("images counted in drift4j_monitor_images_total").isEqualTo(sent);
      assertThat(watch.healthMs.get()).as("ms until health showed DEGRADED (-1: never)").isNotNegative();
      assertThat(watch.metricsMs.get()).as("ms until drift4j_monitor_alarms_total rose (-1: never)").isNotNegative();
    }
  }

  /** Distinct request bodies of {@code size} clean (blob) or drifted (noise) PNG images. */
  private static List<String> bodies(int size, boolean clean) {
    List<String> bodies = new ArrayList<>();
    for (int b = 0; b < BODIES; b++) {
      long seed = 1_000L * size + b;
      bodies.add(Requests.body(clean ? TestModels.blobImages(size, seed) : TestModels.noiseImages(size, seed)));
    }
    return bodies;
  }

  private Phase run(String name, URI base, List<String> small, List<String> large, AlarmWatch watch)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    List<Future<long[]>> futures = new ArrayList<>();
    AtomicLong failed = new AtomicLong();
    AtomicLong images = new AtomicLong();
    for (int c = 0; c < clients; c++) {
      List<String> bodies = c % 2 == 0 ? small : large;
      int size = c % 2 == 0 ? 1 : 32;
      int client = c;
      futures.add(pool.submit(() -> {
        List<Long> latencies = new ArrayList<>();
        for (int i = client; System.nanoTime() < end; i++) {
          HttpRequest request = HttpRequest.newBuilder(base.resolve("/classify")).header("Content-Type",
              "application/json").POST(HttpRequest.BodyPublishers.ofString(bodies.get(i % BODIES))).build();
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() == 200) {
              images.addAndGet(size);
              latencies.add(System.nanoTime() - t0);
            } else {
              failed.incrementAndGet();
            }
          } catch (IOException e) {
            failed.incrementAndGet();
          }
        }
        return latencies.stream().mapToLong(Long::longValue).toArray();
      }));
    }
    if (watch != null) {
      pool.submit(() -> watch.poll(start, end + Duration.ofSeconds(5).toNanos()));
    }
    List<long[]> perClient = new ArrayList<>();
    for (Future<long[]> f : futures) {
      perClient.add(f.get());
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long[] small1 = merge(perClient, 0);
    long[] large32 = merge(perClient, 1);
    return new Phase(name, small1.length + large32.length, images.get(), failed.get(), elapsed, small1, large32);
  }

  private static long[] merge(List<long[]> perClient, int parity) {
    List<Long> all = new ArrayList<>();
    for (int c = parity; c < perClient.size(); c += 2) {
      for (long l : perClient.get(c)) {
        all.add(l);
      }
    }
    return all.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** Resets the monitor and ends a standing alarm through the drift4j endpoint; health is UP after. */
  private void reset(URI base) throws IOException, InterruptedException {
    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(base.resolve("/actuator/drift4j"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    assertThat(JSON.readTree(reply.body()).path("status").asText()).isEqualTo("UP");
  }

  private String scrape(URI base) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve("/actuator/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Polls health and metrics every 50 ms for the first sign of the drift alarm. */
  private final class AlarmWatch {
    private final URI base;
    private final double alarmsBefore;
    final AtomicLong healthMs = new AtomicLong(-1);
    final AtomicLong metricsMs = new AtomicLong(-1);
    final AtomicLong firstAlarmImage = new AtomicLong(-1);
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    AlarmWatch(URI base, double alarmsBefore) {
      this.base = base;
      this.alarmsBefore = alarmsBefore;
    }

    Void poll(long start, long deadline) throws Exception {
      try {
        while (System.nanoTime() < deadline && (healthMs.get() < 0 || metricsMs.get() < 0)) {
          long now = (System.nanoTime() - start) / 1_000_000;
          if (healthMs.get() < 0) {
            JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/actuator/health/drift4j"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
            if ("DEGRADED".equals(health.path("status").asText())
                && health.path("details").path("lastAlarm").path("number").asDouble() > alarmsBefore) {
              healthMs.set(now);
              firstAlarmImage.set(firstAlarm(health));
            }
          }
          if (metricsMs.get() < 0 && Requests.meter(scrape(base), "drift4j_monitor_alarms_total") > alarmsBefore) {
            metricsMs.set(now);
          }
          Thread.sleep(50);
        }
        return null;
      } finally {
        done.countDown();
      }
    }

    /** The image number of the first alarm after the clean phase, from the details. */
    private long firstAlarm(JsonNode health) {
      JsonNode last = health.path("details").path("lastAlarm");
      return last.path("number").asDouble() == alarmsBefore + 1 ? last.path("image").asLong() : -1;
    }

    void awaitBoth(Duration timeout) throws InterruptedException {
      done.await(timeout.toMillis() + Duration.ofSeconds(seconds).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }
}
