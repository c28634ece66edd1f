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
final class IngestTally implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Quarantine entries one task keeps for the driver when tallying as it reads ({@link #add(Row)}):
   * {@value}. A task with more sets {@link #overflow}, and the run reads its input again the
   * two-pass way ({@link IngestRead#read}), where the entries stay on the executors.
   */
  static final int QUARANTINE_ROWS_MAX = 20_000;
  /** Test hook: the cap {@link #add(Row)} applies (default {@link #QUARANTINE_ROWS_MAX}). */
  static volatile int quarantineRowsMax = QUARANTINE_ROWS_MAX;

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

  /** The quarantine entries tallied by {@link #add(Row)} ({@link ReadFile#SCHEMA} rows), unless {@link #overflow}. */
  final List<Row> quarantineRows = new ArrayList<>();
  /**
   * Documents' ids whose 64-bit hashes a run keeps for {@link #mayRepeatIds} at most: {@value}
   * (8 bytes each on the driver). Beyond, the ids are checked by a Spark aggregate.
   */
  static final int ID_HASHES_MAX = 4_000_000;
  /** 64-bit hashes of the ids of the documents tallied by {@link #add(Row)} (the first {@link #idCount}); null when over {@link #ID_HASHES_MAX}. */
  long[] idHashes = new long[0];
  int idCount;

  /** Whether some task had more quarantine entries than it keeps ({@link #QUARANTINE_ROWS_MAX}); {@link #quarantineRows} is then partial. */
  boolean overflow;

  IngestTally() {}

  /**
   * Tallies one record as it is read (a {@link ReadFile#SCHEMA} row of any kind), on the executor
   * that read it: its file's counts, skip reason or error kind, a document's repairs, a
   * {@link ReadFile#FILE} row's framed records; a quarantine entry is also kept whole (up to
   * {@link #quarantineRowsMax} per task, then {@link #overflow}).
   */
  void add(Row r) {
    String kind = r.getString(0);
    String file = r.getString(SOURCE_FILE);
    if (ReadFile.FILE.equals(kind)) {
      add(file, kind, null, null, 0, r.getLong(RECORDS_FRAMED));
      return;
    }
    add(file, kind, r.isNullAt(REASON) ? null : r.getString(REASON), r.isNullAt(ERROR_KIND) ? null : r.getString(ERROR_KIND), 1, 0);
    if (ReadFile.QUARANTINE.equals(kind)) {
      if (quarantineRows.size() < quarantineRowsMax) quarantineRows.add(r);
      else overflow = true;
    } else if (ReadFile.DOC.equals(kind)) {
      addIdHash(idHash(r.getString(DOC_ID)));
      if (r.isNullAt(REPAIRS)) return;
      scala.collection.Map<String, Object> m = r.getMap(REPAIRS);
      scala.jdk.javaapi.CollectionConverters.asJava(m).forEach((k, v) -> repaired.merge(k, ((Number) v).longValue(), Long::sum));
    }
  }

  /** Adds {@code other}'s counts and entries to this tally (the tallies of two tasks). */
  void merge(IngestTally other) {
    other.perFile.forEach((f, c) -> {
      long[] mine = perFile.computeIfAbsent(f, k -> new long[3]);
      for (int i = 0; i < 3; i++) mine[i] += c[i];
    });
    other.framedByFile.forEach((f, n) -> framedByFile.merge(f, n, Long::sum));
    other.skipped.forEach((k, n) -> skipped.merge(k, n, Long::sum));
    other.quarantinedByKind.forEach((k, n) -> quarantinedByKind.merge(k, n, Long::sum));
    unreadable.putAll(other.unreadable);
    other.repaired.forEach((k, n) -> repaired.merge(k, n, Long::sum));
    repeatedIds += other.repeatedIds;
    quarantineRows.addAll(other.quarantineRows);
    overflow |= other.overflow;
    if (idHashes == null || other.idHashes == null || (long) idCount + other.idCount > ID_HASHES_MAX) {
      idHashes = null;
    } else {
      for (int i = 0; i < other.idCount; i++) addIdHash(other.idHashes[i]);
    }
  }

  private void addIdHash(long h) {
    if (idHashes == null) return;
    if (idCount == ID_HASHES_MAX) {
      idHashes = null;
      return;
    }
    if (idCount == idHashes.length) idHashes = java.util.Arrays.copyOf(idHashes, Math.max(1024, Math.min(ID_HASHES_MAX, 2 * idCount)));
    idHashes[idCount++] = h;
  }

  /**
   * Whether two documents tallied by {@link #add(Row)} may share an id: true when two id hashes are
   * equal (a repeated id, or a hash collision, which the exact check then clears) or when there
   * were too many ids to keep their hashes; false means every id is distinct.
   */
  boolean mayRepeatIds() {
    if (idHashes == null) return true;
    long[] sorted = java.util.Arrays.copyOf(idHashes, idCount);
    java.util.Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) return true;
    }
    return false;
  }

  /** A 64-bit FNV-1a hash of {@code id}'s UTF-16 units, finished with a 64-bit mix (for {@link #mayRepeatIds}). */
  static long idHash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /**
   * This tally after {@link DuplicateKeys} turned documents into skips or quarantine entries:
   * {@code decided} holds the records whose ids needed a decision, the first holder of each still a
   * document and the others {@code duplicate_record} skips or {@code duplicate_key} entries. The
   * repairs stay as read (counted in every document read, the later holders of an id included).
   */
  IngestTally afterDecisions(Dataset<Row> decided) {
    IngestTally t = new IngestTally();
    t.merge(this);
    t.quarantineRows.clear();
    for (Row r : decided.where(col("kind").notEqual(ReadFile.DOC)).groupBy(col("source_file"), col("kind"), col("reason"), col("error_kind"))
        .count().collectAsList()) {
      long n = r.getLong(4);
      t.add(r.getString(0), ReadFile.DOC, null, null, -n, 0);
      t.add(r.getString(0), r.getString(1), r.getString(2), r.getString(3), n, 0);
    }
    return t;
  }

  private static final int SOURCE_FILE = ReadFile.SCHEMA.fieldIndex("source_file");
  private static final int DOC_ID = ReadFile.SCHEMA.fieldIndex("doc_id");
  private static final int REASON = ReadFile.SCHEMA.fieldIndex("reason");
  private static final int ERROR_KIND = ReadFile.SCHEMA.fieldIndex("error_kind");
  private static final int RECORDS_FRAMED = ReadFile.SCHEMA.fieldIndex("records_framed");
  private static final int REPAIRS = ReadFile.SCHEMA.fieldIndex("repairs");

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
