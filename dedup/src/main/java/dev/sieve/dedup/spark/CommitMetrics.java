package dev.sieve.dedup.spark;

import dev.sieve.core.spark.DeltaTables;
import io.delta.tables.DeltaTable;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a Delta commit did to a table's row count, from the commit's own {@code operationMetrics}
 * ({@code DESCRIBE HISTORY}): no re-scan of what was just written.
 */
final class CommitMetrics {
  private CommitMetrics() {}

  /**
   * Rows the table gained from version {@code before} (-1: absent) to {@code after}, which must
   * be the one commit after it: for a MERGE {@code numTargetRowsInserted − numTargetRowsDeleted},
   * for an append or a write that created the table {@code numOutputRows}. When the commit carries no metrics
   * (history metrics turned off), the two versions' row counts are compared instead.
   */
  static long rowsGained(SparkSession spark, String path, long before, long after) {
    if (after == before) return 0; // nothing committed
    if (after == before + 1) {
      Row h = DeltaTable.forPath(spark, path).history(1).select("version", "operation", "operationMetrics", "operationParameters").head();
      Map<String, String> m = h.isNullAt(2) ? Map.of() : h.getJavaMap(2);
      Map<String, String> p = h.isNullAt(3) ? Map.of() : h.getJavaMap(3);
      if (h.getLong(0) == after) {
        String op = h.getString(1);
        if (op.equals("MERGE") && m.containsKey("numTargetRowsInserted") && m.containsKey("numTargetRowsDeleted")) {
          return Long.parseLong(m.get("numTargetRowsInserted")) - Long.parseLong(m.get("numTargetRowsDeleted"));
        }
        boolean append = op.equals("WRITE") && "Append".equals(p.get("mode"));
        if ((before < 0 || append) && m.containsKey("numOutputRows")) return Long.parseLong(m.get("numOutputRows"));
      }
    }
    long was = before < 0 ? 0 : DeltaTables.read(spark, path, before).count();
    return DeltaTables.read(spark, path, after).count() - was;
  }
}
