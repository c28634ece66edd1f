package dev.sieve.cli;

/** Exit codes of every {@code sieve} command (DESIGN.md, "Commands"). */
public final class ExitCodes {
  /** The command did its job. */
  public static final int OK = 0;
  /** The job failed (the message says why; tables are left at their last committed version). */
  public static final int FAILURE = 1;
  /** Bad usage or config: a one-line message names the bad option, key or value. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
