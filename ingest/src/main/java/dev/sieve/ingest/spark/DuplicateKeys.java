package dev.sieve.ingest.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import dev.sieve.ingest.QuarantineEntry;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.types.DataTypes;

/**
 * Two records with one {@code doc_id} never merge silently. Among the documents of a run (rows of
 * {@link ReadFile#SCHEMA}) and the documents already in bronze from files this run does not read,
 * the first holder of an id keeps it (bronze first, then by file and offset); a later record with
 * the same id is
 * <ul>
 *   <li>skipped as {@value #DUPLICATE_RECORD} when its title and text are the same (the record
 *       repeated byte for byte, e.g. two copies of one WARC file), or
 *   <li>quarantined as {@link QuarantineEntry#DUPLICATE_KEY} when they differ, with a message that
 *       names both positions.
 * </ul>
 * {@link IngestJob} calls it only when the read's tally found an id (hash) held twice in the run
 * ({@link IngestTally#mayRepeatIds}, or {@link IngestTally#of} in a two-pass run) or bronze has rows of other files. First, on the {@code doc_id} column alone, the ids that need a
 * decision: those held by more than one record of the run or already in bronze (usually none,
 * and then the records are returned as they are). Only the records holding those ids go through the window over
 * {@code doc_id} and the join against bronze, and only their text is hashed; the rest are never
 * shuffled. No id is collected to the driver.
 */
final class DuplicateKeys {
  /** Skip reason of a record repeated with the same key and the same text. */
  static final String DUPLICATE_RECORD = "duplicate_record";

  /**
   * Ids needing a decision beyond which a broadcast join is not used to pick their records
   * ({@value}; about 64 bytes each).
   */
  static final long BROADCAST_MAX_IDS = 2_000_000;

  private DuplicateKeys() {}

  /**
   * The run's records after duplicate resolution.
   *
   * @param rows the records ({@link ReadFile#SCHEMA}), each duplicate document turned into a skip or a quarantine row
   * @param contested how many distinct ids needed a decision
   * @param decided the records whose ids needed a decision, decided (the first holder of each id still a document); null when none
   * @param persisted what {@link #resolve} persisted for {@code rows} (the contested ids and their decided rows)
   */
  record Resolved(Dataset<Row> rows, long contested, Dataset<Row> decided, java.util.List<Dataset<Row>> persisted) {
    /** Drops what {@link #resolve} persisted. */
    void release() {
      persisted.forEach(Dataset::unpersist);
    }

  }

  /**
   * @param records the run's records ({@link ReadFile#SCHEMA})
   * @param earlier bronze rows ({@code doc_id}, {@code source_file}, {@code source_offset},
   *     {@code title}, {@code text}) from files this run does not read, or null when there are none
   * @param runRepeats whether some id may be held by more than one of {@code records}' documents (when
   *     false, as the read's tally found, only the ids also in {@code earlier} are looked for)
   */
  static Resolved resolve(Dataset<Row> records, Dataset<Row> earlier, boolean runRepeats) {
    Column isDoc = col("kind").equalTo(ReadFile.DOC);
    Dataset<Row> ids = records.where(isDoc).select("doc_id");
    Dataset<Row> contested = runRepeats ? ids.groupBy("doc_id").count().where(col("count").gt(1)).select("doc_id") : null;
    if (earlier != null) {
      Dataset<Row> bronzeIds = earlier.select(col("doc_id").as("_bronze_id"));
      Dataset<Row> inBronze = ids.join(bronzeIds, ids.col("doc_id").equalTo(bronzeIds.col("_bronze_id")), "left_semi");
      contested = contested == null ? inBronze : contested.unionByName(inBronze);
    }
    if (contested == null) return new Resolved(records, 0, null, java.util.List.of());
    contested = contested.distinct().persist(StorageLevel.MEMORY_AND_DISK());
    long n = contested.count();
    if (n == 0) {
      contested.unpersist();
      return new Resolved(records, 0, null, java.util.List.of());
    }
    Dataset<Row> keys = n <= BROADCAST_MAX_IDS ? broadcast(contested) : contested;
    Dataset<Row> involved = records.where(isDoc).join(keys, "doc_id").select(java.util.Arrays.stream(records.columns())
        .map(functions::col).toArray(Column[]::new));
    Dataset<Row> involvedEarlier = earlier == null ? null : earlier.join(keys, "doc_id");
    Dataset<Row> decided = decide(involved, involvedEarlier).persist(StorageLevel.MEMORY_AND_DISK());
    decided.count();
    Dataset<Row> keyCol = keys.select(col("doc_id").as("_contested_id"));
    Dataset<Row> recordDocs = records.where(isDoc);
    Dataset<Row> untouched = records.where(not(isDoc)).unionByName(recordDocs.join(keyCol,
        recordDocs.col("doc_id").equalTo(keyCol.col("_contested_id")), "left_anti"));
    return new Resolved(untouched.unionByName(decided), n, decided, java.util.List.of(decided, contested));
  }

  /**
   * The window and bronze join over the records whose ids need a decision.
   *
   * @return {@code records} with each duplicate document turned into a skip or a quarantine row
   */
  private static Dataset<Row> decide(Dataset<Row> records, Dataset<Row> earlier) {
    Column isDoc = col("kind").equalTo(ReadFile.DOC);
    WindowSpec w = Window.partitionBy("doc_id").orderBy(col("source_file"), col("source_offset"));
    Dataset<Row> docs = records.where(isDoc)
        .withColumn("_h", contentHash(col("title"), col("text")))
        .withColumn("_rn", row_number().over(w))
        .withColumn("_first_file", first("source_file").over(w))
        .withColumn("_first_offset", first("source_offset").over(w))
        .withColumn("_first_h", first("_h").over(w));
    if (earlier != null) {
      Dataset<Row> e = earlier.select(col("doc_id").as("_e_id"), col("source_file").as("_e_file"),
          col("source_offset").as("_e_offset"), contentHash(col("title"), col("text")).as("_e_h"));
      docs = docs.join(e, docs.col("doc_id").equalTo(e.col("_e_id")), "left").drop("_e_id");
    } else {
      docs = docs.withColumn("_e_file", lit(null).cast(DataTypes.StringType))
          .withColumn("_e_offset", lit(null).cast(DataTypes.LongType))
          .withColumn("_e_h", lit(null).cast(DataTypes.StringType));
    }
    Column inBronze = col("_e_file").isNotNull();
    Column firstFile = when(inBronze, col("_e_file")).otherwise(col("_first_file"));
    Column firstOffset = when(inBronze, col("_e_offset")).otherwise(col("_first_offset"));
    Column firstHash = when(inBronze, col("_e_h")).otherwise(col("_first_h"));
    Column dup = inBronze.or(col("_rn").gt(1));
    Column same = col("_h").equalTo(firstHash);
    Column clash = dup.and(not(same));
    Column message = format_string("key already taken (doc_id %s): first at %s offset %d%s, repeated at %s offset %d with different text",
        col("doc_id"), firstFile, firstOffset, when(inBronze, lit(" (in bronze/documents)")).otherwise(lit("")),
        col("source_file"), col("source_offset"));
    Dataset<Row> resolved = docs
        .withColumn("kind", when(not(dup), lit(ReadFile.DOC)).when(same, lit(ReadFile.SKIP)).otherwise(lit(ReadFile.QUARANTINE)))
        .withColumn("reason", when(dup.and(same), lit(DUPLICATE_RECORD)).otherwise(col("reason")))
        .withColumn("error_kind", when(clash, lit(QuarantineEntry.DUPLICATE_KEY)).otherwise(col("error_kind")))
        .withColumn("message", when(clash, message).otherwise(col("message")))
        .withColumn("snippet", when(clash, regexp_replace(substring(col("text"), 1, QuarantineEntry.SNIPPET_CHARS), "\\p{Cntrl}", " "))
            .otherwise(col("snippet")))
        .drop("_h", "_rn", "_first_file", "_first_offset", "_first_h", "_e_file", "_e_offset", "_e_h");
    return records.where(not(isDoc)).unionByName(resolved);
  }

  /** Hex SHA-256 of title and text: what "the same record" compares. */
  private static Column contentHash(Column title, Column text) {
    return sha2(concat_ws("\u0000", coalesce(title, lit("")), coalesce(text, lit(""))), 256);
  }
}
