package dev.sieve.core.spark;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * A console progress line for long work: a daemon thread rewrites one line on stderr every
 * {@code periodMillis} with what {@code status} says (typically built from Spark accumulators,
 * which the driver sees as tasks finish), and ends it with a newline when closed.
 */
public final class ProgressLine implements AutoCloseable {
  private final Thread thread;
  private final Supplier<String> status;
  private final PrintStream out;
  private volatile boolean running = true;
  private volatile boolean printed;

  public ProgressLine(Supplier<String> status, long periodMillis) {
    this(status, periodMillis, System.err);
  }

  public ProgressLine(Supplier<String> status, long periodMillis, PrintStream out) {
    this.status = status;
    this.out = out;
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
    out.print("\r" + status.get() + "   ");
    out.flush();
    printed = true;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    synchronized (this) {
      if (printed) {
        out.print("\r" + status.get() + "   \n");
        out.flush();
      }
    }
  }
}
