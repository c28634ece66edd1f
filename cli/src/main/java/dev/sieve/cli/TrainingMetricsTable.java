package dev.sieve.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Loads a run's {@code metrics.jsonl} into {@code gold/training_metrics}: one row per line (steps
 * and events), MERGEd on (run_id, line) in one commit that also drops lines the run no longer has
 * (a resumed run rewinds its log to its checkpoint), so runs can be compared with SQL.
 */
final class TrainingMetricsTable {
  static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false)
      .add("step", DataTypes.LongType, true)
      .add("event", DataTypes.StringType, true)
      .add("loss", DataTypes.DoubleType, true)
      .add("val_loss", DataTypes.DoubleType, true)
      .add("lr", DataTypes.DoubleType, true)
      .add("grad_norm", DataTypes.DoubleType, true)
      .add("tokens_per_s", DataTypes.DoubleType, true)
      .add("device", DataTypes.StringType, true)
      .add("record", DataTypes.StringType, false)
      .add("loaded_at", DataTypes.TimestampType, false);

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingMetricsTable() {}

  /** @return the number of lines loaded */
  static long load(SparkSession spark, Lake lake, String runId, Path runDir) throws java.io.IOException {
    Path file = runDir.resolve("metrics.jsonl");
    if (!Files.exists(file)) return 0;
    List<Map<String, Object>> lines = MetricsLog.read(file);
    List<Row> rows = new ArrayList<>();
    Timestamp now = new Timestamp(System.currentTimeMillis());
    for (int i = 0; i < lines.size(); i++) {
      Map<String, Object> m = lines.get(i);
      rows.add(RowFactory.create(runId, (long) i, asLong(m.get("step")), m.get("event") == null ? null : String.valueOf(m.get("event")),
          asDouble(m.get("loss")), asDouble(m.get("val_loss")), asDouble(m.get("lr")), asDouble(m.get("grad_norm")),
          asDouble(m.get("tokens_per_s")), m.get("device") == null ? null : String.valueOf(m.get("device")), JSON.writeValueAsString(m), now));
    }
    String path = lake.path(Lake.GOLD_TRAINING_METRICS);
    DeltaTables.mergeReplacing(spark.createDataFrame(rows, SCHEMA), path, "t.run_id = '" + runId.replace("'", "''") + "'", "run_id", "line");
    return rows.size();
  }

  private static Long asLong(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  private static Double asDouble(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }
}
