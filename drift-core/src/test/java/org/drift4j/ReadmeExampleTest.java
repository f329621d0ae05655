package org.drift4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.drift4j.spi.Autoencoder;
import org.drift4j.testkit.PcaAutoencoder;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's opening example compiles (here), runs, and is the same text as in README.md. */
class ReadmeExampleTest {

  @TempDir
  Path dir;

  private final List<String> alerts = new ArrayList<>();

  MonitorObservation readmeExample(Autoencoder autoencoder, List<BufferedImage> images) throws IOException {
    // README-BEGIN
    Baseline baseline = BaselineStore.read(Path.of("baseline.json"));    // made once by Baseline.compute
    DriftMonitor monitor = DriftMonitor.builder(autoencoder, baseline)    // OnnxAutoencoder, Dl4jAutoencoder, yours
        .config(DriftMonitorConfig.custom()
            .expectedRunTime(10_000)                                      // one false alarm per 10,000 clean images
            .build())
        .listener(new MonitorListener() {
          @Override public void onAlarm(DriftAlarm alarm) { alerts.add(alarm.toJson()); }
        })
        .build();
    MonitorObservation seen = monitor.observe(ImageBatch.ofImages(ImageShape.grey(28, 28), images)); // per request
    // README-END
    return seen;
  }

  @Test
  void theExampleRunsAndRaisesAnAlertOnForeignImages() throws IOException {
    ImageShape shape = ImageShape.grey(28, 28);
    PcaAutoencoder pca = PcaAutoencoder.fit(SyntheticImages.blobs(shape, 200, 1), 8, 1);
    Baseline baseline = Baseline.compute(pca, SyntheticImages.blobs(shape, 3000, 2), ReconstructionError.BINARY_CROSS_ENTROPY);
    BaselineStore.write(baseline, Path.of("baseline.json"));
    try {
      ImageBatch noise = SyntheticImages.noise(shape, 12, 3);
      List<BufferedImage> images = new ArrayList<>();
      for (int i = 0; i < noise.size(); i++) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 784; p++) {
          img.getRaster().setSample(p % 28, p / 28, 0, Math.round(noise.pixel(i, p) * 255));
        }
        images.add(img);
      }
      MonitorObservation seen = readmeExample(pca, images);
      assertThat(seen.alarm()).isTrue();
      assertThat(alerts).hasSize(seen.alarms().size()).isNotEmpty();
    } finally {
      Files.deleteIfExists(Path.of("baseline.json"));
    }
  }

  @Test
  void readmeShowsTheSameExample() throws IOException {
    Path readme = Path.of("../README.md");
    assertThat(readme).as("README.md at the repository root").exists();
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    List<String> lines = Files.readAllLines(Path.of("src/test/java/org/drift4j/ReadmeExampleTest.java"));
    String example = lines.subList(lines.indexOf("    // README-BEGIN") + 1, lines.indexOf("    // README-END")).stream()
        .map(l -> l.substring(4))
        .collect(Collectors.joining("\n"));
    assertThat(text).contains(example);
  }
}
