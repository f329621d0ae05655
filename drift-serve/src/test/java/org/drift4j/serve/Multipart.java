package org.drift4j.serve;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** multipart/form-data bodies of PNG parts, for tests. */
final class Multipart {

  private Multipart() {}

  static byte[] of(String boundary, byte[]... pngs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < pngs.length; i++) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + i
          + ".png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(pngs[i]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
