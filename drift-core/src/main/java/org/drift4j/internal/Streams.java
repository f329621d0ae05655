package org.drift4j.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.time.Duration;

/** Reading models, baselines and records from streams and URLs. Stateless. */
public final class Streams {

  /** How long opening or reading a remote URL may stall before it fails. */
  public static final Duration URL_TIMEOUT = Duration.ofSeconds(30);

  private Streams() {}

  /**
   * Opens {@code url} for reading, uncached (a {@code jar:} URL otherwise keeps the jar open and
   * may serve stale bytes) and with {@link #URL_TIMEOUT} for connecting and each read.
   *
   * @param url what to read
   * @return an open stream; the caller closes it
   * @throws java.io.FileNotFoundException if nothing is at the URL
   * @throws IOException if it cannot be opened
   */
  public static InputStream open(URL url) throws IOException {
    URLConnection connection = url.openConnection();
    connection.setUseCaches(false);
    connection.setConnectTimeout((int) URL_TIMEOUT.toMillis());
    connection.setReadTimeout((int) URL_TIMEOUT.toMillis());
    return connection.getInputStream();
  }

  /**
   * A view of {@code in} whose {@code close} does nothing, for readers that close what they wrap.
   *
   * @param in the caller's stream
   * @return the view
   */
  public static InputStream nonClosing(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {
        // the caller owns the stream
      }
    };
  }
}
