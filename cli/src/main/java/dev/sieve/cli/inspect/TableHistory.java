package dev.sieve.cli.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.cli.inspect.LakeSnapshot.CommitInfo;
import dev.sieve.cli.inspect.LakeSnapshot.TableInfo;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One table's line of {@code sieve inspect}'s TABLES and HISTORY sections: its version, rows and
 * latest commits from {@code DESCRIBE HISTORY}, each with the run, stage and config hash that
 * {@link dev.sieve.core.spark.StageRun} put in the commit's {@code userMetadata}, and the rows the
 * commit added and removed from its operation metrics.
 */
final class TableHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TableHistory() {}

  /** {@code table}'s version, rows (a count from the log's statistics) and latest {@code commits} commits; version -1 when absent. */
  static TableInfo read(SparkSession spark, Lake lake, String table, int commits) {
    String path = lake.path(table);
    if (!DeltaTables.exists(spark, path)) return new TableInfo(table, Lake.viewName(table), -1, 0, List.of());
    List<CommitInfo> history = new ArrayList<>();
    long version = -1;
    for (Row r : DeltaTable.forPath(spark, path).history(commits).collectAsList()) {
      CommitInfo c = commit(r);
      history.add(c);
      version = Math.max(version, c.version());
    }
    long rows = DeltaTables.count(spark, path);
    return new TableInfo(table, Lake.viewName(table), version, rows, history);
  }

  private static CommitInfo commit(Row r) {
    long version = r.getLong(r.fieldIndex("version"));
    Object ts = r.get(r.fieldIndex("timestamp"));
    String timestamp = ts instanceof java.sql.Timestamp t ? t.toInstant().toString() : String.valueOf(ts);
    String operation = r.getString(r.fieldIndex("operation"));
    String meta = r.isNullAt(r.fieldIndex("userMetadata")) ? null : r.getString(r.fieldIndex("userMetadata"));
    String runId = null;
    String stage = null;
    String hash = null;
    if (meta != null) {
      try {
        JsonNode m = JSON.readTree(meta);
        runId = text(m, "run_id");
        stage = text(m, "stage");
        hash = text(m, "config_hash");
      } catch (Exception e) {
        // Not ours: some other writer's free text.
      }
    }
    Map<String, String> metrics = r.isNullAt(r.fieldIndex("operationMetrics")) ? Map.of()
        : scala.jdk.javaapi.CollectionConverters.asJava(r.<String, String>getMap(r.fieldIndex("operationMetrics")));
    Long added = firstLong(metrics, "numTargetRowsInserted", "numOutputRows", "numAddedRows");
    Long deleted = firstLong(metrics, "numTargetRowsDeleted", "numDeletedRows");
    return new CommitInfo(version, timestamp, operation, runId, stage, hash, added, deleted);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Long firstLong(Map<String, String> m, String... keys) {
    for (String k : keys) {
      String v = m.get(k);
      if (v != null) {
        try {
          return Long.parseLong(v);
        } catch (NumberFormatException e) {
          // try the next
        }
      }
    }
    return null;
  }
}
