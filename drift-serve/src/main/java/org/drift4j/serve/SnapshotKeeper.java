package org.drift4j.serve;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.drift4j.DriftMonitor;
import org.drift4j.MonitorSnapshot;
import org.drift4j.MonitorSnapshotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a monitor's state in one file across restarts: restores it at start, writes it every
 * interval while images arrive and once more at shutdown, each time atomically
 * ({@link MonitorSnapshot#write}), so a crash, even kill -9, leaves the last complete snapshot.
 * A file that cannot be read, or that belongs to another baseline, model or setting, is set
 * aside (renamed beside itself, with a warning) and the monitor starts afresh; it is never loaded
 * in part. Thread-safe: writes are serialised.
 */
final class SnapshotKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotKeeper.class);

  private final DriftMonitor monitor;
  private final Path file;
  private final Duration interval;
  private final Clock clock;
  private final ServeMetrics metrics;
  private ScheduledExecutorService scheduler;
  /** The periodic writes; write() catches its failures, so the future only ends by cancellation. */
  private ScheduledFuture<?> periodic;
  private long writtenImages = -1;
  private Instant writtenAt;
  private long failures;
  private String restored = "not yet started";

  SnapshotKeeper(DriftMonitor monitor, Path file, Duration interval, Clock clock, ServeMetrics metrics) {
    this.metrics = metrics;
    this.monitor = monitor;
    this.file = file;
    this.interval = interval;
    this.clock = clock;
  }

  Path file() {
    return file;
  }

  /**
   * Restores the monitor from the file, if there is one, or sets the file aside.
   *
   * @return what happened, in words (also in {@code /v1/status})
   */
  synchronized String restore() {
    MonitorSnapshot snapshot;
    try {
      snapshot = MonitorSnapshot.read(file);
    } catch (NoSuchFileException e) {
      restored = "no snapshot at " + file + ": started afresh";
      return restored;
    } catch (MonitorSnapshotException e) {
      restored = setAside("unreadable: " + e.getMessage());
      return restored;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the monitor snapshot " + file + " could not be read: " + e.getMessage(),
          e);
    }
    try {
      monitor.restore(snapshot);
    } catch (IllegalArgumentException e) {
      restored = setAside("of another monitor: " + e.getMessage());
      return restored;
    }
    writtenImages = snapshot.images();
    writtenAt = snapshot.createdAt();
    restored = "restored " + snapshot.images() + " images and " + snapshot.alarms() + " alarms from " + file
        + " (taken " + snapshot.createdAt() + ")";
    LOG.info("drift4j serve: {}", restored);
    return restored;
  }

  private String setAside(String why) {
    Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + clock.instant().toString().replace(':', '-'));
    try {
      try {
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(file, aside);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the monitor snapshot " + file + " is " + why + ", and it could not be set"
          + " aside as " + aside + ": " + e.getMessage(), e);
    }
    String message = "the monitor snapshot " + file + " is " + why + "; set aside as " + aside.getFileName()
        + ", the monitor starts afresh";
    LOG.warn("drift4j serve: {}", message);
    return message;
  }

  /** Starts the periodic writes (none for a zero interval). */
  synchronized void start() {
    if (interval.isZero() || scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "drift4j-snapshots");
      t.setDaemon(true);
      return t;
    });
    long millis = interval.toMillis();
    periodic = scheduler.scheduleWithFixedDelay(() -> write(false), millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Writes a snapshot now.
   *
   * @param always write even if no image arrived since the last one
   * @return whether a snapshot was written
   */
  synchronized boolean write(boolean always) {
    long images = monitor.status().images();
    if (!always && images == writtenImages) {
      return false;
    }
    MonitorSnapshot snapshot = monitor.snapshot();
    try {
      snapshot.write(file);
      writtenImages = snapshot.images();
      writtenAt = snapshot.createdAt();
      metrics.snapshot(true);
      return true;
    } catch (IOException | RuntimeException e) {
      failures++;
      metrics.snapshot(false);
      LOG.warn("drift4j serve: the monitor snapshot could not be written to {} (the previous one stays): {}", file,
          e.toString());
      return false;
    }
  }

  /** Stops the periodic writes and writes the final snapshot. */
  void stop() {
    ScheduledExecutorService s;
    synchronized (this) {
      s = scheduler;
      scheduler = null;
      if (periodic != null) {
        periodic.cancel(false);
        periodic = null;
      }
    }
    if (s != null) {
      s.shutdown();
      try {
        s.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    write(true);
  }

  synchronized String restored() {
    return restored;
  }

  synchronized long writtenImages() {
    return writtenImages;
  }

  synchronized Instant writtenAt() {
    return writtenAt;
  }

  synchronized long failures() {
    return failures;
  }
}
