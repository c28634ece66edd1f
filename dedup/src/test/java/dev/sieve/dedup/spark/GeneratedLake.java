package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.conv;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.generate.GeneratedCorpus;
import dev.sieve.ingest.spark.IngestJob;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A lake holding a generated corpus as {@code silver/filtered}: generated, ingested for real,
 * and every bronze document copied to {@code silver/filtered} (dedup is scored on its own, not
 * on what the filter happens to keep), with a {@code quality_score} derived from the doc id so
 * the keep policy has something to rank.
 */
final class GeneratedLake {
  private GeneratedLake() {}

  /** The generated corpus of {@code docs} documents with {@code seed}, generated once per module ({@link GeneratedCorpus#cached}). */
  static Path corpus(int docs, long seed) throws java.io.IOException {
    return GeneratedCorpus.cached(docs, seed).dir();
  }

  static Lake ingest(SparkSession spark, Path corpus, Path lakeDir) {
    Lake lake = new Lake(lakeDir.toString());
    IngestJob.run(spark, lake, SieveConfig.defaults(), "ingest-test", List.of(corpus.toString()));
    return lake;
  }

  /** Bronze rows in the shape of silver/filtered. */
  static Dataset<Row> asFiltered(Dataset<Row> bronze) {
    Column score = conv(substring(col("doc_id"), 1, 8), 16, 10).cast("double").divide(4294967296.0);
    return bronze.withColumn("quality_score", score).withColumn("signals", org.apache.spark.sql.functions.map(lit("words"), lit(1.0)));
  }

  static void writeFiltered(Dataset<Row> filtered, Lake lake, SaveMode mode) {
    filtered.write().format("delta").mode(mode).save(lake.path(Lake.SILVER_FILTERED));
  }

  static Dataset<Row> bronze(SparkSession spark, Lake lake) {
    return DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS));
  }

  static Column key() {
    return org.apache.spark.sql.functions.coalesce(col("url"), col("metadata").getItem("unique_key"));
  }

}
