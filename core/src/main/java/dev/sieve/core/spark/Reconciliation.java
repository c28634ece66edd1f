package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.StageRunRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The reconciliation check of one {@link StageRun}, apart from its ledger: the output tables the
 * run declared with their rows before it wrote, what the stage says each gained, and the check at
 * the end (documents in = out + Σ dropped by reason; each declared table gained what the stage
 * says, measured at the version the run left it at).
 */
final class Reconciliation {
  private final SparkSession spark;
  private final Lake lake;
  /** Output tables declared with {@link #output}: rows before the run wrote. */
  private final Map<String, Long> rowsBefore = new LinkedHashMap<>();
  /** What the stage says each output table gained. */
  private final Map<String, Long> expectedGain = new LinkedHashMap<>();

  Reconciliation(SparkSession spark, Lake lake) {
    this.spark = spark;
    this.lake = lake;
  }

  /** Notes {@code table}'s rows now (a metadata-only count; 0 when absent) and returns them. */
  long output(String table) {
    long n = DeltaTables.count(spark, lake.path(table));
    rowsBefore.put(table, n);
    return n;
  }

  /** Rows {@code table} held when {@link #output} declared it; an error when it was not declared. */
  long rowsBefore(String table) {
    Long n = rowsBefore.get(table);
    if (n == null) throw new IllegalStateException("table " + table + " was not declared with output() before writing");
    return n;
  }

  /** Adds {@code n} rows to what the stage says {@code table} gained. */
  void gained(String table, long n) {
    rowsBefore(table);
    expectedGain.merge(table, n, Long::sum);
  }

  /**
   * Checks {@code record}'s ledger and the declared tables, and records the rows each gained in it.
   *
   * @throws StageRun.ReconciliationException with one line naming the numbers, when anything differs
   */
  void check(StageRunRecord record) {
    String mismatch = record.ledgerMismatch();
    if (mismatch != null) throw new StageRun.ReconciliationException(mismatch);
    for (var e : rowsBefore.entrySet()) {
      String table = e.getKey();
      String path = lake.path(table);
      Long version = record.versionsWritten().get(table);
      // Holding the lake lock, the version the run left is normally the latest: a count of the
      // latest version is answered from the log's file statistics; time travel scans.
      long after = !DeltaTables.exists(spark, path) ? 0
          : version == null || version == DeltaTables.version(spark, path) ? DeltaTables.count(spark, path)
          : DeltaTables.read(spark, path, version).count();
      long gained = after - e.getValue();
      record.recordRowsGained(table, gained);
      Long expected = expectedGain.get(table);
      if (expected != null && expected != gained) {
        throw new StageRun.ReconciliationException(record.stage() + " run " + record.runId() + " does not reconcile: " + table + " gained " + gained
            + " rows (" + e.getValue() + " -> " + after + "), the stage says " + expected);
      }
    }
  }
}
