package dev.sieve.cli.inspect;

import dev.sieve.core.Lake;
import dev.sieve.core.StageRunRecord;
import dev.sieve.core.spark.PendingRuns;
import dev.sieve.core.spark.StageRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The stage runs of a lake as {@link StageRuns.Row}s: the rows of {@code _sieve/stage_runs} (one
 * query, the ledger columns when the table has them), then the runs that found nothing new before
 * Spark started (pending records, {@link PendingRuns}), then the runs in flight (markers,
 * {@link StageRun#inFlight}).
 */
final class StageRunReader {
  private StageRunReader() {}

  static List<StageRuns.Row> rows(LakeQuery q) {
    List<StageRuns.Row> out = new ArrayList<>();
    Dataset<Row> d = q.df(Lake.STAGE_RUNS);
    boolean ledger = LakeQuery.has(d, "dropped");
    Column[] columns = Stream.of("stage", "run_id", "status", "started_at", "ended_at", "count_in",
            "count_out", "counts", "error", ledger ? "dropped" : "counts", ledger ? "rows_gained" : "counts")
        .map(functions::col).toArray(Column[]::new);
    for (Row r : d.select(columns).collectAsList()) {
      Map<String, Long> counts = LakeQuery.longMap(r, 7);
      out.add(new StageRuns.Row(r.getString(0), r.getString(1), r.getString(2),
          r.isNullAt(3) ? null : r.getTimestamp(3).toInstant(), r.isNullAt(4) ? null : r.getTimestamp(4).toInstant(),
          r.isNullAt(5) ? 0 : r.getLong(5), r.isNullAt(6) ? 0 : r.getLong(6), counts, r.isNullAt(8) ? null : r.getString(8),
          ledger && !r.isNullAt(9) ? LakeQuery.longMap(r, 9) : null, ledger && !r.isNullAt(10) ? LakeQuery.longMap(r, 10) : null));
    }
    // Runs that found nothing new before Spark started: a pending record until the next run appends it.
    for (StageRunRecord p : PendingRuns.pending(q.spark.sparkContext().hadoopConfiguration(), q.lake)) {
      out.add(new StageRuns.Row(p.stage(), p.runId(), p.status().name(), p.startedAt(), p.endedAt(), p.countIn(), p.countOut(), p.counts(),
          p.error(), p.dropped(), p.rowsGained()));
    }
    // Runs in flight have a marker, not yet a row.
    for (Map<String, Object> m : StageRun.inFlight(q.spark, q.lake)) {
      out.add(new StageRuns.Row(String.valueOf(m.get("stage")), String.valueOf(m.get("run_id")), "RUNNING",
          Instant.parse(String.valueOf(m.get("started_at"))), null, 0, 0, Map.of(), null));
    }
    return out;
  }
}
