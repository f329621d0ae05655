package org.drift4j.spring.app;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.drift4j.Baseline;
import org.drift4j.DriftMonitor;
import org.drift4j.MonitorObservation;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The starter's test application: an image service that only adds the starter's dependency and
 * properties, and passes each request's PNG images to the auto-configured {@link DriftMonitor}.
 */
@SpringBootApplication
public class DriftTestApplication {

  /** A request: PNG images, base64 in JSON. */
  public record ClassifyRequest(List<byte[]> images) {}

  /**
   * The reply.
   *
   * @param images images observed
   * @param alarm whether this request raised an alarm
   * @param statistic the monitor's statistic after it
   */
  public record ClassifyReply(int images, boolean alarm, double statistic) {}

  /** The service's one endpoint. */
  @RestController
  public static class ClassifyController {

    private final DriftMonitor monitor;

    ClassifyController(DriftMonitor monitor) {
      this.monitor = monitor;
    }

    /** Decodes the images, makes them the model's input as the baseline did, and observes them. */
    @PostMapping("/classify")
    public ClassifyReply classify(@RequestBody ClassifyRequest request) {
      if (request.images() == null || request.images().isEmpty()) {
        throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "images must not be empty");
      }
      List<BufferedImage> decoded = new ArrayList<>(request.images().size());
      for (byte[] png : request.images()) {
        try {
          BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
          if (image == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "an image is not PNG or JPEG");
          }
          decoded.add(image);
        } catch (IOException e) {
          throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "an image cannot be read: " + e.getMessage(), e);
        }
      }
      Baseline baseline = monitor.baseline();
      MonitorObservation o = monitor.observe(baseline.preprocessing().batch(baseline.shape(), decoded));
      return new ClassifyReply(o.size(), o.alarm(), o.status().statistic());
    }
  }
}
