package org.drift4j.examples.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closed-loop HTTP load on a loopback server: C client threads, each sending the next request as
 * soon as the last one is answered, for a fixed time or until stopped; a share of the requests is
 * malformed. Bounded by construction: it stops at its deadline.
 */
final class ServeLoad {

  /** What one run did. */
  static final class Result {
    long valid;
    long malformed;
    long validImagesAccepted;
    long errors5xx;
    long transportErrors;
    final TreeMap<Integer, Long> statuses = new TreeMap<>();
    final TreeMap<String, Long> malformedByReason = new TreeMap<>();
    long[] validLatenciesNanos = new long[0];
    double seconds;

    double percentileMillis(double q) {
      if (validLatenciesNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.min(validLatenciesNanos.length - 1, Math.ceil(q * validLatenciesNanos.length) - 1);
      return validLatenciesNanos[Math.max(0, i)] / 1e6;
    }
  }

  /** A request body and what it should be answered with. */
  record Body(byte[] bytes, int images, String rejectReason) {}

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI uri;

  ServeLoad(URI uri) {
    this.uri = uri;
  }

  /**
   * Runs the load.
   *
   * @param valid bodies to send, in turn
   * @param bad malformed bodies, one sent with probability {@code malformedShare}
   * @param stop set to end early (the kill test); the run also ends at {@code seconds}
   */
  Result run(int clients, double seconds, List<Body> valid, List<Body> bad, double malformedShare, long seed,
      AtomicBoolean stop) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    List<Result> parts = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Result part = new Result();
      parts.add(part);
      SplittableRandom random = new SplittableRandom(seed + c);
      Thread t = new Thread(() -> loop(part, random, deadline, valid, bad, malformedShare, stop), "serve-load-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    Result total = new Result();
    total.seconds = (System.nanoTime() - start) / 1e9;
    List<long[]> latencies = new ArrayList<>();
    for (Result p : parts) {
      total.valid += p.valid;
      total.malformed += p.malformed;
      total.validImagesAccepted += p.validImagesAccepted;
      total.errors5xx += p.errors5xx;
      total.transportErrors += p.transportErrors;
      p.statuses.forEach((k, v) -> total.statuses.merge(k, v, Long::sum));
      p.malformedByReason.forEach((k, v) -> total.malformedByReason.merge(k, v, Long::sum));
      latencies.add(p.validLatenciesNanos);
    }
    total.validLatenciesNanos = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return total;
  }

  private void loop(Result r, SplittableRandom random, long deadline, List<Body> valid, List<Body> bad, double share,
      AtomicBoolean stop) {
    long[] latencies = new long[1 << 16];
    int n = 0;
    int next = random.nextInt(valid.size());
    while (System.nanoTime() < deadline && !stop.get()) {
      boolean malformed = random.nextDouble() < share;
      Body body = malformed ? bad.get(random.nextInt(bad.size())) : valid.get(next++ % valid.size());
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
      long t0 = System.nanoTime();
      int status;
      try {
        status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (java.io.IOException e) {
        if (!stop.get()) {
          r.transportErrors++;
        }
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long elapsed = System.nanoTime() - t0;
      r.statuses.merge(status, 1L, Long::sum);
      if (status >= 500) {
        r.errors5xx++;
      }
      if (malformed) {
        r.malformed++;
        r.malformedByReason.merge(body.rejectReason(), 1L, Long::sum);
      } else {
        r.valid++;
        if (status == 200) {
          r.validImagesAccepted += body.images();
        }
        if (n == latencies.length) {
          latencies = Arrays.copyOf(latencies, 2 * n);
        }
        latencies[n++] = elapsed;
      }
    }
    r.validLatenciesNanos = Arrays.copyOf(latencies, n);
  }
}
