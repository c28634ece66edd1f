package dev.sieve.cli.inspect;

import dev.sieve.cli.inspect.LakeSnapshot.TableInfo;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the readers of a {@link LakeSnapshot} share: the lake's tables as DataFrames, what
 * {@link TableHistory} found of each ({@link TableInfo}, by lake-relative path), sections that turn
 * a failure into a note, and the row helpers of their queries.
 */
final class LakeQuery {
  final SparkSession spark;
  final Lake lake;
  private final Map<String, TableInfo> tables;
  private final List<String> notes = new ArrayList<>();

  LakeQuery(SparkSession spark, Lake lake, Map<String, TableInfo> tables) {
    this.spark = spark;
    this.lake = lake;
    this.tables = tables;
  }

  /** What {@link TableHistory} found of {@code table} (a {@link Lake} constant). */
  TableInfo table(String table) {
    return tables.get(table);
  }

  /** Whether {@code table} exists. */
  boolean exists(String table) {
    return tables.get(table).exists();
  }

  /** The latest version of {@code table}. */
  Dataset<Row> df(String table) {
    return DeltaTables.read(spark, lake.path(table));
  }

  /**
   * Runs one section when its {@code table} exists, else returns {@code absent}; a failure becomes
   * a note ({@code name: could not read table (Exception: first line)}), not a failed command.
   */
  <T> T section(String name, Supplier<T> body, T absent, String table) {
    TableInfo t = tables.get(table);
    if (t == null || !t.exists()) return absent;
    try {
      return body.get();
    } catch (RuntimeException e) {
      String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      notes.add(name + ": could not read " + table + " (" + e.getClass().getSimpleName() + ": " + msg + ")");
      return absent;
    }
  }

  /** The notes of the sections that failed, in order. */
  List<String> notes() {
    return List.copyOf(notes);
  }

  static boolean has(Dataset<Row> df, String column) {
    return Arrays.asList(df.columns()).contains(column);
  }

  static Double dbl(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
  }

  static long lng(Row r, int i) {
    return r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
  }

  /** Column {@code i}, a {@code map<string, number>}, as longs ordered by key; empty when null. */
  static Map<String, Long> longMap(Row r, int i) {
    Map<String, Long> m = new TreeMap<>();
    if (!r.isNullAt(i)) scala.jdk.javaapi.CollectionConverters.asJava(r.<String, Object>getMap(i)).forEach((k, v) -> m.put(k, ((Number) v).longValue()));
    return m;
  }

  /** The map ordered by value, largest first, then by key. */
  static Map<String, Long> sortedByValue(Map<String, Long> m) {
    return m.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }
}
