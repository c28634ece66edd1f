package dev.sieve.ingest.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.sieve.ingest.QuarantineEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
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

  private IngestTally() {}

  /** Tallies {@code resolved} (rows of {@link ReadFile#SCHEMA} after {@link DuplicateKeys}). */
  static IngestTally of(Dataset<Row> resolved) {
    IngestTally t = new IngestTally();
    for (Row r : resolved.groupBy(col("source_file"), col("kind"), col("reason"), col("error_kind"))
        .agg(count(lit(1)), sum(col("records_framed"))).collectAsList()) {
      t.add(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.isNullAt(5) ? 0L : r.getLong(5));
    }
    for (Row r : resolved.where(col("kind").equalTo(ReadFile.DOC).and(col("repairs").isNotNull()))
        .select(explode(col("repairs"))).groupBy(col("key")).agg(sum(col("value"))).collectAsList()) {
      t.repaired.put(r.getString(0), r.getLong(1));
    }
    return t;
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
