package dev.sieve.ingest.spark;

import static org.apache.spark.sql.functions.broadcast;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What bronze and quarantine already hold of this run: the files read whose earlier rows are
 * replaced (an earlier run of a changed file, or a run killed before it recorded the file) — those
 * are not duplicates — and bronze's rows of the other files, which a new record's id may clash with.
 *
 * @param paths the files read (a broadcast one-column {@code source_file} table)
 * @param replacedByFile bronze rows per file read that this run replaces
 * @param rows bronze rows ({@code doc_id, source_file, source_offset, title, text}) of other files, or null when bronze is empty
 */
record EarlierRows(Dataset<Row> paths, Map<String, Long> replacedByFile, Dataset<Row> rows) {
  static EarlierRows of(SparkSession spark, Lake lake, IngestPlan plan) {
    String bronzePath = lake.path(Lake.BRONZE_DOCUMENTS);
    Dataset<Row> paths = broadcast(spark.createDataFrame(plan.readPaths().stream().map(RowFactory::create).toList(),
        new StructType().add("source_file", DataTypes.StringType, false)));
    if (!DeltaTables.exists(spark, bronzePath)) return new EarlierRows(paths, Map.of(), null);
    Dataset<Row> bronze = DeltaTables.read(spark, bronzePath);
    Dataset<Row> others = bronze.join(paths, bronze.col("source_file").equalTo(paths.col("source_file")), "left_anti")
        .select("doc_id", "source_file", "source_offset", "title", "text");
    return new EarlierRows(paths, IngestWrites.rowsPerFile(bronze, paths), others);
  }

  long replaced() {
    return replacedByFile.values().stream().mapToLong(Long::longValue).sum();
  }
}
