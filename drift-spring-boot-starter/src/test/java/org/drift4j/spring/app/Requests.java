package org.drift4j.spring.app;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drift4j.spring.TestModels;

/** Request bodies for the test application and readings of Prometheus text. */
final class Requests {

  private Requests() {}

  /** {@return the JSON body of a request with these images as PNG} */
  static String body(List<BufferedImage> images) {
    return bodyOfPngs(images.stream().map(TestModels::png).toList());
  }

  /** {@return the JSON body of a request with these PNG files} */
  static String bodyOfPngs(List<byte[]> pngs) {
    StringBuilder b = new StringBuilder("{\"images\":[");
    for (int i = 0; i < pngs.size(); i++) {
      b.append(i == 0 ? "\"" : ",\"").append(Base64.getEncoder().encodeToString(pngs.get(i))).append('"');
    }
    return b.append("]}").toString();
  }

  /**
   * The sum of a meter's samples in Prometheus text (every tag combination).
   *
   * @throws AssertionError if the text has no sample of that name
   */
  static double meter(String prometheus, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(prometheus);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      found = true;
    }
    if (!found) {
      throw new AssertionError("no sample of " + name + " in the scrape:\n" + prometheus);
    }
    return sum;
  }
}
