package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.MapType;

/**
 * An order-free content digest of a lake's tables, to tell whether two lakes hold the same data
 * (two clones of a corpus, an embedded run and a cluster run, a clean run and a rerun after a
 * crash): per table, its rows and the sum of {@code xxhash64} over the row's stable columns. Columns
 * that name a run or a moment rather than content are left out ({@code run_id}, {@code path}, {@code source_version}, {@code source_file},
 * {@code modification_time}) and every
 * column whose name ends in {@code _at}. Maps are hashed as their sorted entries. One aggregate
 * query per table; {@code _sieve/stage_runs} (run ids and times only) is not digested.
 */
public final class TableDigest {
  /** Columns left out of the digest (besides {@code *_at}). */
  public static final Set<String> VOLATILE = Set.of("run_id", "path", "source_version", "source_file", "modification_time");

  private TableDigest() {}

  /** Per table of {@link Lake#TABLES} except stage_runs: {@code "<rows> rows, hash <sum>"}, or {@code "absent"}. */
  public static Map<String, String> of(SparkSession spark, Lake lake) {
    return of(spark, lake, VOLATILE);
  }

  /** {@link #of(SparkSession, Lake)} leaving out {@code volatileColumns} (and {@code *_at}) instead of {@link #VOLATILE}. */
  public static Map<String, String> of(SparkSession spark, Lake lake, Set<String> volatileColumns) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : Lake.TABLES) {
      if (table.equals(Lake.STAGE_RUNS)) continue;
      String path = lake.path(table);
      out.put(table, DeltaTables.exists(spark, path) ? of(DeltaTables.read(spark, path), volatileColumns) : "absent");
    }
    return out;
  }

  /** {@code "<rows> rows, hash <sum of xxhash64 over the columns not in volatileColumns>"} of one table. */
  public static String of(Dataset<Row> df, Set<String> volatileColumns) {
    Column[] stable = Arrays.stream(df.schema().fields())
        .filter(f -> !volatileColumns.contains(f.name()) && !f.name().endsWith("_at"))
        .map(f -> f.dataType() instanceof MapType
            ? functions.to_json(functions.array_sort(functions.map_entries(functions.col(f.name()))))
            : functions.col(f.name()))
        .toArray(Column[]::new);
    Row r = df.agg(functions.count(functions.lit(1)), functions.coalesce(functions.sum(functions.xxhash64(stable).cast("decimal(38,0)")),
        functions.lit(0).cast("decimal(38,0)"))).head();
    return r.getLong(0) + " rows, hash " + r.get(1);
  }
}
