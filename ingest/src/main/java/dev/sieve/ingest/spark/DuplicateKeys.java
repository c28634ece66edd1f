package dev.sieve.ingest.spark;

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
 * One window over {@code doc_id} for the run, one join on {@code doc_id} against bronze: no id is
 * collected to the driver.
 */
final class DuplicateKeys {
  /** Skip reason of a record repeated with the same key and the same text. */
  static final String DUPLICATE_RECORD = "duplicate_record";

  private DuplicateKeys() {}

  /**
   * @param records the run's records ({@link ReadFile#SCHEMA})
   * @param earlier bronze rows ({@code doc_id}, {@code source_file}, {@code source_offset},
   *     {@code title}, {@code text}) from files this run does not read, or null when there are none
   * @return {@code records} with each duplicate document turned into a skip or a quarantine row
   */
  static Dataset<Row> resolve(Dataset<Row> records, Dataset<Row> earlier) {
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
