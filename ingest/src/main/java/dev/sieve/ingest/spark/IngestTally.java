package dev.sieve.ingest.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.grouping_id;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sieve.ingest.QuarantineEntry;
import dev.sieve.ingest.Repairs;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a run's records came to, per file and per reason: documents, quarantine entries (by
 * {@code error_kind}) and skips (by reason), what each file's reader framed, which files could not
 * be opened, and the repairs made in the documents. Small: a few numbers per file.
 */
final class IngestTally {
  /** Per file: {documents, quarantined, skipped}. */
  final Map<String, long[]> perFile = new TreeMap<>();
  /** Per file: records its reader framed (summed over the file's splits). */
  final Map<String, Long> framedByFile = new HashMap<>();
  final Map<String, Long> skipped = new TreeMap<>();
  final Map<String, Long> quarantinedByKind = new TreeMap<>();
  /** Files with an {@code unreadable_file} entry. */
  final Map<String, Boolean> unreadable = new HashMap<>();
  /** Repairs made in the documents written (counts, not drops: see {@link dev.sieve.ingest.Repairs}). */
  final Map<String, Long> repaired = new TreeMap<>();

  /** How many {@code doc_id}s more than one document holds (0: no duplicate key within the tallied rows). */
  long repeatedIds;

  private IngestTally() {}

  /**
   * Tallies {@code resolved} (rows of {@link ReadFile#SCHEMA}, before or after {@link DuplicateKeys})
   * and counts the {@code doc_id}s held by more than one document, in one aggregate: grouping sets
   * over (file, kind, reason, error kind) and over {@code doc_id}, then a small second aggregate
   * that turns the repeated ids into their number (no id is collected to the driver). The first
   * action on a freshly persisted read, it is also the pass that reads the input.
   */
  static IngestTally of(Dataset<Row> resolved) {
    Column isDoc = col("kind").equalTo(ReadFile.DOC);
    List<Column> keys = List.of(col("source_file"), col("kind"), col("reason"), col("error_kind"));
    List<Column> all = new ArrayList<>(keys);
    all.add(col("_id"));
    List<Column> aggs = new ArrayList<>(List.of(count(lit(1)).as("_n"), sum(col("records_framed")).as("_framed")));
    for (int i = 0; i < Repairs.KINDS.size(); i++) {
      aggs.add(sum(when(isDoc, try_element_at(col("repairs"), lit(Repairs.KINDS.get(i))))).as("_r" + i));
    }
    Dataset<Row> grouped = resolved.withColumn("_id", when(isDoc, col("doc_id")))
        .groupingSets(seq(List.of(seq(keys), seq(List.of(col("_id"))))), all.toArray(Column[]::new))
        .agg(grouping_id().as("_g"), aggs.toArray(Column[]::new));
    // _g = 1: a (file, kind, reason, error kind) group; otherwise a doc_id group, kept only when repeated.
    List<Column> sums = new ArrayList<>(List.of(sum(col("_n")), sum(col("_framed")), count(lit(1))));
    for (int i = 0; i < Repairs.KINDS.size(); i++) sums.add(sum(col("_r" + i)));
    List<Row> rows = grouped.where(col("_g").equalTo(1).or(col("_id").isNotNull().and(col("_n").gt(1))))
        .groupBy(col("_g"), col("source_file"), col("kind"), col("reason"), col("error_kind"))
        .agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).collectAsList();
    IngestTally t = new IngestTally();
    for (Row r : rows) {
      if (r.getLong(0) != 1) {
        t.repeatedIds += r.getLong(7);
        continue;
      }
      t.add(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5), r.isNullAt(6) ? 0L : r.getLong(6));
      for (int i = 0; i < Repairs.KINDS.size(); i++) {
        if (!r.isNullAt(8 + i) && r.getLong(8 + i) > 0) t.repaired.merge(Repairs.KINDS.get(i), r.getLong(8 + i), Long::sum);
      }
    }
    return t;
  }

  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list).toSeq();
  }

  /** Adds {@code n} rows of one file, kind, skip reason and error kind ({@code framed}: the {@link ReadFile#FILE} rows' sum). */
  void add(String file, String kind, String reason, String errorKind, long n, long framed) {
    if (ReadFile.FILE.equals(kind)) {
      framedByFile.merge(file, framed, Long::sum);
      return;
    }
    long[] c = perFile.computeIfAbsent(file, k -> new long[3]);
    switch (kind) {
      case ReadFile.DOC -> c[0] += n;
      case ReadFile.QUARANTINE -> {
        c[1] += n;
        quarantinedByKind.merge(errorKind, n, Long::sum);
        if (QuarantineEntry.UNREADABLE_FILE.equals(errorKind)) unreadable.put(file, true);
      }
      default -> {
        c[2] += n;
        skipped.merge(reason, n, Long::sum);
      }
    }
  }

  long documents() {
    return perFile.values().stream().mapToLong(c -> c[0]).sum();
  }

  long quarantined() {
    return perFile.values().stream().mapToLong(c -> c[1]).sum();
  }

  long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  long framed() {
    return framedByFile.values().stream().mapToLong(Long::longValue).sum();
  }

  /** {documents, quarantined, skipped} of {@code file} (zeros when it has no rows). */
  long[] of(String file) {
    return perFile.getOrDefault(file, new long[3]);
  }
}
