package org.drift4j.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.drift4j.Baseline;
import org.drift4j.DriftDetector;
import org.drift4j.DriftReport;
import org.drift4j.ReconstructionError;
import org.drift4j.dl4j.Dl4jAutoencoder;

/**
 * Child process of the speed benchmark, run with a small heap (-Xmx512m): scores {@code N} images
 * in one {@code check()} and prints peak heap and resident memory as JSON.
 */
public final class MemoryProbe {

  private MemoryProbe() {}

  public static void main(String[] args) throws Exception {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Dl4jAutoencoder ae = BenchData.model();
    Baseline baseline = Baseline.compute(ae, BenchData.images(1000, 2), ReconstructionError.BINARY_CROSS_ENTROPY);
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long start = System.nanoTime();
    DriftReport report;
    try (ae) {
      report = DriftDetector.builder(ae, baseline).build().check(BenchData.images(images, 3));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPeak += pool.getPeakUsage().getUsed();
      }
    }
    long rssPeakKb = -1;
    Path status = Path.of("/proc/self/status");
    if (Files.exists(status)) {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          rssPeakKb = Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    }
    System.out.printf(java.util.Locale.ROOT,
        "{\"images\":%d,\"checked\":%d,\"seconds\":%.3f,\"maxHeapBytes\":%d,\"peakHeapBytes\":%d,\"peakRssBytes\":%d}%n",
        images, report.batchSize(), seconds, Runtime.getRuntime().maxMemory(), heapPeak, rssPeakKb * 1024);
  }
}
