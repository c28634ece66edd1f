package dev.sieve.dedup.spark;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/**
 * The console side of a dedup run: each phase names the Spark jobs it starts ({@code sieve dedup:
 * <phase>}) and ends with one line {@code dedup: <phase> <what> (<seconds> s)}.
 */
final class Phases {
  private final SparkSession spark;
  private final PrintStream progress;
  private long phaseStart = System.nanoTime();
  private String phase;

  Phases(SparkSession spark, PrintStream progress) {
    this.spark = spark;
    this.progress = progress;
  }

  /** Starts phase {@code name}: its clock and the job description of the Spark jobs that follow. */
  void start(String name) {
    phase = name;
    phaseStart = System.nanoTime();
    spark.sparkContext().setJobDescription("sieve dedup: " + name);
  }

  /** Ends the current phase with one line saying what it did and how long it took (seconds). */
  void done(String what) {
    progress.printf("dedup: %-10s %s (%.1f s)%n", phase, what, (System.nanoTime() - phaseStart) / 1e9);
    progress.flush();
  }

  /** The stream progress goes to (for in-place lines such as component rounds). */
  PrintStream progress() {
    return progress;
  }
}
