package org.drift4j.examples.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work on stderr: a redrawn bar on a terminal, plain lines at most every few
 * seconds otherwise (logs, CI). Not thread-safe; one per task.
 */
public final class Progress {

  private static final long LINE_INTERVAL_NANOS = 5_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private long lastLine;

  public Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** On stderr, as a bar when a console is attached. */
  // Java 17 has no Console.isTerminal(); on 22+ console() is never null, and the bar always shows
  @SuppressWarnings("SystemConsoleNull")
  public static Progress stderr() {
    return new Progress(System.err, System.console() != null);
  }

  /** Reports {@code done} of {@code total} for {@code task}, with a free-form suffix. */
  public void update(String task, long done, long total, String suffix) {
    if (terminal) {
      int width = 30;
      int filled = total <= 0 ? 0 : (int) Math.min(width, width * done / total);
      out.printf(Locale.ROOT, "\r%-24s [%s%s] %3d%% %s", task, "#".repeat(filled), " ".repeat(width - filled),
          total <= 0 ? 0 : 100 * done / total, suffix);
      if (done >= total) {
        out.println();
      }
      out.flush();
      return;
    }
    long now = System.nanoTime();
    if (done >= total || now - lastLine >= LINE_INTERVAL_NANOS) {
      lastLine = now;
      out.printf(Locale.ROOT, "%s: %d/%d %s%n", task, done, total, suffix);
    }
  }

  /** A plain message line. */
  public void say(String message) {
    out.println(message);
  }
}
