package dev.sieve.core.spark;

import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A console progress line for long work: a daemon thread shows what {@code status} says (typically
 * built from Spark accumulators, which the driver sees as tasks finish) every {@code periodMillis},
 * and the last status once more when closed.
 *
 * <p>On a terminal ({@link System#console()} present) it rewrites one line in place
 * ({@code \r}) and ends it with a newline when closed. Into a log (stderr redirected: Airflow,
 * {@code spark-submit} on a cluster, {@code > file}) carriage returns would pile every frame onto
 * one line, so it writes whole lines instead, one when the status changed and at least
 * {@value #LOG_PERIOD_MILLIS} ms after the previous one, and the last status when closed.
 */
public final class ProgressLine implements AutoCloseable {
  /** Least milliseconds between two lines written into a log (not a terminal). */
  public static final long LOG_PERIOD_MILLIS = 30_000;

  private final Thread thread;
  private final Supplier<String> status;
  private final PrintStream out;
  private final boolean terminal;
  private final long logPeriodMillis;
  private volatile boolean running = true;
  private volatile boolean printed;
  private String lastLine;
  private long lastLineAt;

  public ProgressLine(Supplier<String> status, long periodMillis) {
    this(status, periodMillis, System.err);
  }

  public ProgressLine(Supplier<String> status, long periodMillis, PrintStream out) {
    this(status, periodMillis, out, System.console() != null, LOG_PERIOD_MILLIS);
  }

  /**
   * @param terminal whether {@code out} is a terminal (one line rewritten in place) or a log (whole lines)
   * @param logPeriodMillis least milliseconds between two lines into a log
   */
  ProgressLine(Supplier<String> status, long periodMillis, PrintStream out, boolean terminal, long logPeriodMillis) {
    this.status = status;
    this.out = out;
    this.terminal = terminal;
    this.logPeriodMillis = logPeriodMillis;
    this.lastLineAt = System.nanoTime();
    this.thread = new Thread(() -> {
      while (running) {
        try {
          Thread.sleep(periodMillis);
        } catch (InterruptedException e) {
          return;
        }
        if (running) print();
      }
    }, "sieve-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private synchronized void print() {
    String s = status.get();
    if (terminal) {
      out.print("\r" + s + "   ");
    } else {
      long now = System.nanoTime();
      if (Objects.equals(s, lastLine) || (now - lastLineAt) / 1_000_000 < logPeriodMillis) return;
      out.println(s);
      lastLine = s;
      lastLineAt = now;
    }
    out.flush();
    printed = true;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    synchronized (this) {
      if (!printed) return;
      String s = status.get();
      if (terminal) {
        out.print("\r" + s + "   \n");
      } else if (!s.equals(lastLine)) {
        out.println(s);
      }
      out.flush();
    }
  }
}
