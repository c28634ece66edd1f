package dev.sieve.core.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The clock of the one-thread benches ({@code bench/filter}, {@code bench/decontaminate},
 * {@code bench/lines}, {@code bench/pii}, dedup's signatures): this thread's CPU nanoseconds. On a
 * shared machine a pass's wall time also counts the turns other processes had on the core; its CPU
 * time counts only the pass's own work (garbage collection and JIT threads excluded).
 */
public final class CpuClock {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private CpuClock() {}

  /** CPU nanoseconds this thread has used so far. */
  public static long nanos() {
    return MX.getCurrentThreadCpuTime();
  }
}
