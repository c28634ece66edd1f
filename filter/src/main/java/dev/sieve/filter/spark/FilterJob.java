package dev.sieve.filter.spark;

import static org.apache.spark.sql.functions.col;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaIncrement;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.filter.FilterSettings;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.storage.StorageLevel;

/**
 * Filter, coarse stage: {@code bronze/documents} → {@code silver/filtered} (kept documents with
 * {@code quality_score} and {@code signals}) and {@code silver/rejected} (the whole document with
 * {@code stage}, {@code rule}, {@code value}, {@code threshold}).
 *
 * <p>Incremental: only bronze documents in neither output table are filtered, and both outputs
 * MERGE on {@code doc_id}. After appends to bronze only the appended rows are read
 * ({@link DeltaIncrement#unprocessed}: the run's {@code input_rows_read} count), so a small
 * increment costs what its documents cost, not what the lake holds. {@code full} re-filters everything and replaces both tables (after a
 * threshold change). When {@code filter.classifier.model} is set, the documents the coarse rules
 * keep are scored by the fastText {@code QualityClassifier} (the model file is shipped to the
 * executors in the task closure) and kept by threshold or Pareto sampling; without
 * it {@code quality_score} is null.
 */
public final class FilterJob {
  public static final String STAGE = "filter";

  private FilterJob() {}

  /** What a run did: documents in, kept, rejected per rule. */
  public record Result(String runId, long in, long kept, Map<String, Long> rejectedByRule) {}

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full) {
    FilterSettings settings = config.section("filter", FilterSettings.class);
    dev.sieve.filter.RuleChain.Blocklists lists = dev.sieve.filter.RuleChain.Blocklists.load(settings);
    return Stage.run(spark, lake, STAGE, config, runId, run -> filter(spark, lake, settings, lists, run, full));
  }

  /** The run: documents not yet filtered → judged (rules, then the classifier) → kept and rejected tables → the ledger. */
  private static Result filter(SparkSession spark, Lake lake, FilterSettings settings, dev.sieve.filter.RuleChain.Blocklists lists,
                               StageRun run, boolean full) {
    long bronzeVersion = run.readInput(Lake.BRONZE_DOCUMENTS, "sieve ingest");
    if (!full && run.inputsUnchanged()) return new Result(run.runId(), 0, 0, new TreeMap<>());
    Dataset<Row> docs = toFilter(spark, lake, run, bronzeVersion, full);
    byte[] model = ClassifierModelFile.read(spark, settings);
    if (model != null) run.count("classifier_model_bytes", model.length);
    var schema = ApplyRules.outputSchema(docs.schema());
    Dataset<Row> judged = docs.mapPartitions(new ApplyRules(settings, lists, model), ExpressionEncoder.apply(schema))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Tally t = Tally.of(judged);
      if (t.in() == 0) {
        // Nothing written: the tables are where this run found them (the next run reads what they gain from here).
        for (String table : new String[] {Lake.SILVER_FILTERED, Lake.SILVER_REJECTED}) {
          if (DeltaTables.exists(spark, lake.path(table))) run.wrote(table, DeltaTables.version(spark, lake.path(table)));
        }
        return new Result(run.runId(), 0, 0, t.byRule());
      }
      long filteredBefore = run.output(Lake.SILVER_FILTERED);
      long rejectedBefore = run.output(Lake.SILVER_REJECTED);
      writeOutputs(spark, lake, run, judged, full);
      run.in(t.in());
      run.out(t.kept());
      run.count("kept", t.kept());
      t.byRule().forEach((rule, n) -> run.dropped("rejected_" + rule, n));
      // --full replaces both tables: they gain what this run wrote minus what they held.
      run.gained(Lake.SILVER_FILTERED, t.kept() - (full ? filteredBefore : 0));
      run.gained(Lake.SILVER_REJECTED, t.in() - t.kept() - (full ? rejectedBefore : 0));
      return new Result(run.runId(), t.in(), t.kept(), t.byRule());
    } finally {
      judged.unpersist();
    }
  }

  /** The judged documents: all, kept, and the rejected per rule. */
  private record Tally(long in, long kept, Map<String, Long> byRule) {
    static Tally of(Dataset<Row> judged) {
      Map<String, Long> byRule = new TreeMap<>();
      long in = 0, kept = 0;
      for (Row r : judged.groupBy(col("kept"), col("rule")).count().collectAsList()) {
        long n = r.getLong(2);
        in += n;
        if (r.getBoolean(0)) kept += n;
        else byRule.merge(r.getString(1), n, Long::sum);
      }
      return new Tally(in, kept, byRule);
    }
  }

  /**
   * The bronze documents to judge: with {@code full} all of them at {@code bronzeVersion}; else the
   * rows bronze gained since the last run less those an interrupted run already wrote
   * ({@link DeltaIncrement#unprocessed}), or the whole table anti-joined when that cannot be told.
   */
  private static Dataset<Row> toFilter(SparkSession spark, Lake lake, StageRun run, long bronzeVersion, boolean full) {
    Dataset<Row> docs;
    if (full) {
      DeltaIncrement.Slice all = DeltaIncrement.whole(spark, lake.path(Lake.BRONZE_DOCUMENTS), bronzeVersion);
      run.count("input_rows_read", all.count());
      docs = all.rows();
    } else {
      docs = DeltaIncrement.unprocessed(run, Lake.BRONZE_DOCUMENTS, bronzeVersion, "doc_id", Lake.SILVER_FILTERED, Lake.SILVER_REJECTED);
    }
    return docs.select(Arrays.stream(DocRows.SCHEMA.fieldNames()).map(Column::new).toArray(Column[]::new));
  }

  /** Kept rows (document, {@code quality_score}, {@code signals}) to silver/filtered, the others (document, why) to silver/rejected. */
  private static void writeOutputs(SparkSession spark, Lake lake, StageRun run, Dataset<Row> judged, boolean full) {
    String filteredPath = lake.path(Lake.SILVER_FILTERED);
    String rejectedPath = lake.path(Lake.SILVER_REJECTED);
    Column[] docCols = Arrays.stream(DocRows.SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> keptRows = judged.where(col("kept"))
        .select(concat(docCols, col("quality_score"), col("signals")));
    Dataset<Row> rejectedRows = judged.where(col("kept").equalTo(false))
        .select(concat(docCols, col("stage"), col("rule"), col("value"), col("threshold"), col("quality_score")));
    write(keptRows, filteredPath, full);
    write(rejectedRows, rejectedPath, full);
    run.wrote(Lake.SILVER_FILTERED, DeltaTables.version(spark, filteredPath));
    run.wrote(Lake.SILVER_REJECTED, DeltaTables.version(spark, rejectedPath));
  }

  private static void write(Dataset<Row> rows, String path, boolean full) {
    DeltaTables.overwriteOr(full, rows, path, () -> DeltaTables.merge(rows, path, DeltaTables.OnMatch.KEEP, "doc_id"));
  }

  private static Column[] concat(Column[] a, Column... b) {
    Column[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
