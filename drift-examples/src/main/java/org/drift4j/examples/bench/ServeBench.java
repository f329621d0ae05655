package org.drift4j.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.drift4j.ImageBatch;
import org.drift4j.MonitorSnapshot;
import org.drift4j.examples.data.Idx;
import org.drift4j.examples.data.IdxImageReader;

/**
 * The drift server's loopback load test ({@code drift4j serve-bench}): starts {@code drift4j serve}
 * as a child process, runs C clients for S seconds per batch size with a share of malformed
 * requests, checks that no request got a 5xx, that {@code /metrics} counted every accepted image
 * once and every malformed request as rejected by its reason, then kills the server with SIGKILL
 * under load, restarts it and checks that it continues from the last complete snapshot. Bounded:
 * every phase stops at its deadline, and the child is killed when the bench ends.
 */
public final class ServeBench {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+/)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The settings.
   *
   * @param model the model folder
   * @param images the IDX images the requests are made of
   * @param clients concurrent clients
   * @param seconds seconds per batch size
   * @param batchSizes images per request
   * @param malformedShare share of malformed requests
   * @param killSeconds seconds of load before the SIGKILL
   * @param work a folder for the snapshot and the servers' logs
   */
  public record Settings(Path model, Path images, int clients, double seconds, List<Integer> batchSizes,
      double malformedShare, double killSeconds, Path work) {}

  private final Settings settings;
  private final PrintWriter log;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public ServeBench(Settings settings, PrintWriter log) {
    this.settings = settings;
    this.log = log;
  }

  /** Runs the bench and returns its results as JSON. */
  public ObjectNode run() throws IOException, InterruptedException {
    Files.createDirectories(settings.work());
    Path snapshot = settings.work().resolve("monitor-snapshot.json");
    Files.deleteIfExists(snapshot);
    List<float[]> images = images(settings.images(), 1024);
    ObjectNode out = JSON.createObjectNode();
    out.put("date", Instant.now().toString());
    out.put("java", System.getProperty("java.version"));
    out.put("processors", Runtime.getRuntime().availableProcessors());
    out.put("clients", settings.clients());
    out.put("secondsPerBatchSize", settings.seconds());
    out.put("malformedShare", settings.malformedShare());
    out.put("model", settings.model().toString());
    Child server = Child.start(settings, snapshot, "first");
    try {
      out.put("startupSeconds", server.startupSeconds);
      ServeLoad load = new ServeLoad(server.uri.resolve("v2/models/drift4j/infer"));
      ObjectNode runs = out.putObject("runs");
      for (int batch : settings.batchSizes()) {
        runs.set("batch" + batch, measure(server, load, images, batch));
      }
      out.set("kill", killAndRestart(server, load, images, snapshot));
    } finally {
      server.kill();
    }
    return out;
  }

  private ObjectNode measure(Child server, ServeLoad load, List<float[]> images, int batch)
      throws IOException, InterruptedException {
    log.printf("batch %d: %d clients for %.0f s...%n", batch, settings.clients(), settings.seconds());
    log.flush();
    String before = scrape(server);
    ServeLoad.Result r = load.run(settings.clients(), settings.seconds(), Payloads.valid(images, batch, 16),
        Payloads.malformed(batch), settings.malformedShare(), 42 + batch, new AtomicBoolean());
    String after = scrape(server);
    ObjectNode node = JSON.createObjectNode();
    node.put("imagesPerRequest", batch);
    node.put("seconds", r.seconds);
    node.put("requests", r.valid + r.malformed);
    node.put("requestsPerSecond", (r.valid + r.malformed) / r.seconds);
    node.put("imagesPerSecond", r.validImagesAccepted / r.seconds);
    node.put("p50Millis", r.percentileMillis(0.50));
    node.put("p90Millis", r.percentileMillis(0.90));
    node.put("p99Millis", r.percentileMillis(0.99));
    node.put("maxMillis", r.percentileMillis(1.0));
    node.put("validRequests", r.valid);
    node.put("malformedRequests", r.malformed);
    node.put("responses5xx", r.errors5xx);
    node.put("transportErrors", r.transportErrors);
    ObjectNode statuses = node.putObject("statuses");
    r.statuses.forEach((k, v) -> statuses.put(Integer.toString(k), v));
    long counted = Math.round(Metrics.sum(after, "drift4j_monitor_images_total") - Metrics.sum(before,
        "drift4j_monitor_images_total"));
    node.put("validImagesAccepted", r.validImagesAccepted);
    node.put("imagesCountedInMetrics", counted);
    node.put("everyValidImageCountedOnce", counted == r.validImagesAccepted);
    ObjectNode rejected = node.putObject("malformedByReason");
    boolean allRejected = true;
    for (Map.Entry<String, Long> e : r.malformedByReason.entrySet()) {
      String series = "drift4j_serve_rejected_total{name=\"drift4j\",reason=\"" + e.getKey() + "\"}";
      long delta = Math.round(Metrics.sum(after, series) - Metrics.sum(before, series));
      ObjectNode reason = rejected.putObject(e.getKey());
      reason.put("sent", e.getValue());
      reason.put("countedRejected", delta);
      allRejected &= delta == e.getValue();
    }
    node.put("everyMalformedCountedRejected", allRejected);
    log.printf("  %.0f req/s, p50 %.2f ms, p99 %.2f ms, 5xx %d, images counted once: %s, malformed counted: %s%n",
        (r.valid + r.malformed) / r.seconds, r.percentileMillis(0.5), r.percentileMillis(0.99), r.errors5xx,
        counted == r.validImagesAccepted, allRejected);
    log.flush();
    return node;
  }

  private ObjectNode killAndRestart(Child server, ServeLoad load, List<float[]> images, Path snapshot)
      throws IOException, InterruptedException {
    int batch = settings.batchSizes().get(settings.batchSizes().size() - 1);
    log.printf("kill -9 after %.0f s of load, then restart...%n", settings.killSeconds());
    log.flush();
    long acceptedBefore = status(server).path("monitor").path("images").asLong();
    AtomicBoolean stop = new AtomicBoolean();
    Thread killer = new Thread(() -> {
      try {
        Thread.sleep((long) (settings.killSeconds() * 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.kill();
      stop.set(true);
    }, "serve-bench-killer");
    killer.start();
    ServeLoad.Result r = load.run(settings.clients(), settings.killSeconds() + 30, Payloads.valid(images, batch, 16),
        List.of(), 0, 7, stop);
    killer.join();
    long accepted = acceptedBefore + r.validImagesAccepted;
    ObjectNode node = JSON.createObjectNode();
    node.put("imagesAcceptedBeforeKill", accepted);
    List<String> strays;
    try (Stream<Path> files = Files.list(settings.work())) {
      strays = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("monitor-snapshot")
          && !n.equals("monitor-snapshot.json")).toList();
    }
    node.put("filesBesideTheSnapshot", String.join(", ", strays));
    MonitorSnapshot last = MonitorSnapshot.read(snapshot);
    node.put("snapshotReadable", true);
    node.put("snapshotImages", last.images());
    node.put("snapshotAgeAtKillSeconds", Duration.between(last.createdAt(), Instant.now()).toMillis() / 1e3);
    node.put("imagesLost", accepted - last.images());
    Child restarted = Child.start(settings, snapshot, "restarted");
    try {
      JsonNode status = status(restarted);
      long restored = status.path("monitor").path("images").asLong();
      node.put("restartedWithImages", restored);
      node.put("restartedFromLastSnapshot", restored == last.images());
      node.put("atStart", status.path("snapshot").path("atStart").asText());
      restarted.terminate();
      node.put("gracefulStopSnapshotImages", MonitorSnapshot.read(snapshot).images());
    } finally {
      restarted.kill();
    }
    log.printf("  accepted %d images, the snapshot held %d (%d lost), restarted with %d%n", accepted, last.images(),
        accepted - last.images(), node.path("restartedWithImages").asLong());
    log.flush();
    return node;
  }

  private String scrape(Child server) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(server.uri.resolve("metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private JsonNode status(Child server) throws IOException, InterruptedException {
    return JSON.readTree(http.send(HttpRequest.newBuilder(server.uri.resolve("v1/status")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private static List<float[]> images(Path idx, int count) throws IOException {
    try (IdxImageReader reader = Idx.openImages(idx)) {
      ImageBatch batch = reader.next(count);
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        out.add(batch.image(i));
      }
      return out;
    }
  }

  /** A {@code drift4j serve} child process. */
  private static final class Child {
    final Process process;
    final URI uri;
    final double startupSeconds;

    private Child(Process process, URI uri, double startupSeconds) {
      this.process = process;
      this.uri = uri;
      this.startupSeconds = startupSeconds;
    }

    static Child start(Settings s, Path snapshot, String name) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(List.of("-Xmx2g", "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp",
          System.getProperty("java.class.path"), "org.drift4j.examples.cli.Drift4jCli", "serve", "--model",
          s.model().toString(), "--port", "0", "--snapshot", snapshot.toString(), "--snapshot-interval", "1",
          "--max-images", "64"));
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(command).redirectError(s.work().resolve("server-" + name + ".err").toFile())
          .start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      // read on a thread, so that a child that hangs without a word cannot block the bench past its deadline
      java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
      AtomicBoolean started = new AtomicBoolean();
      Thread reader = new Thread(() -> {
        try {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (!started.get()) {
              lines.add(line);
            }
          }
        } catch (IOException e) {
          // the child is gone: the poll below times out or sees no listening line
        }
      }, "serve-bench-stdout");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline && (p.isAlive() || !lines.isEmpty())) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        Matcher m = line == null ? null : LISTENING.matcher(line);
        if (m != null && m.find()) {
          started.set(true);
          return new Child(p, URI.create(m.group(1)), (System.nanoTime() - t0) / 1e9);
        }
      }
      p.destroyForcibly();
      throw new IOException("drift4j serve did not start; see " + s.work().resolve("server-" + name + ".err"));
    }

    /** SIGKILL, as kill -9. */
    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** SIGTERM, and wait for the graceful stop. */
    void terminate() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
