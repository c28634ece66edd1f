package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.sieve.core.spark.DocRows;
import dev.sieve.dedup.LineHashes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The removing half of {@link LineDedup}: the boilerplate lines taken out of the new documents
 * ({@link #clean}, joined per document, never collected to the driver), the cleaned text put back
 * into the {@code silver/filtered} view ({@link #withCleanText}) and the rows of the documents left
 * too short for {@code silver/rejected} ({@link #rejected}).
 */
final class LineRemoval {
  private LineRemoval() {}

  /** One row per document that loses lines. */
  static final StructType CLEANED = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("clean_text", DataTypes.StringType, false)
      .add("line_chars_removed", DataTypes.IntegerType, false)
      .add("lines_removed", DataTypes.IntegerType, false)
      .add("too_short", DataTypes.BooleanType, false);

  /**
   * The documents of {@code fresh} ({@code doc_id, text, domain}) that hold a line of
   * {@code boilerplate} ({@code line_hash}), as {@link #CLEANED} rows; {@code docLines} are
   * {@link LineCounts#DOC_LINES} rows of the same documents.
   *
   * @param minChars a document that lost lines and keeps fewer characters (trimmed) is too short
   */
  static Dataset<Row> clean(Dataset<Row> fresh, Dataset<Row> docLines, Dataset<Row> boilerplate, int minChars) {
    Dataset<Row> drop = docLines.join(boilerplate.select(col("line_hash")), "line_hash")
        .groupBy(col("doc_id")).agg(collect_list(col("line_hash")).as("drop"));
    return fresh.join(drop, "doc_id").map(new RemoveLines(minChars), ExpressionEncoder.apply(CLEANED));
  }

  /**
   * {@code filtered} with the cleaned text of the documents that lost lines and kept enough
   * ({@code too_short} false) and {@code line_chars_removed} (0 for every other document); the
   * columns in their order, the new one last.
   */
  static Dataset<Row> withCleanText(Dataset<Row> filtered, Dataset<Row> cleaned) {
    Dataset<Row> repl = cleaned.where(col("too_short").equalTo(false))
        .select(col("doc_id").as("clean_id"), col("clean_text"), col("line_chars_removed").as("clean_removed"));
    Dataset<Row> j = filtered.join(repl, filtered.col("doc_id").equalTo(repl.col("clean_id")), "left");
    List<Column> cols = new ArrayList<>();
    for (String n : filtered.columns()) cols.add(n.equals("text") ? coalesce(col("clean_text"), col("text")).as("text") : col(n));
    cols.add(coalesce(col("clean_removed"), lit(0)).as("line_chars_removed"));
    return j.select(cols.toArray(Column[]::new));
  }

  /**
   * {@code silver/rejected} rows of the documents left too short: the {@link DocRows#SCHEMA}
   * columns of {@code filtered}, then {@code stage, rule, value} (characters left, trimmed),
   * {@code threshold} ({@code minChars}) and {@code quality_score}.
   *
   * @param shortDocs {@code doc_id, clean_text} of the documents left too short
   */
  static Dataset<Row> rejected(Dataset<Row> filtered, Dataset<Row> shortDocs, String stage, String rule, int minChars) {
    return filtered.join(shortDocs, "doc_id")
        .withColumn("stage", lit(stage))
        .withColumn("rule", lit(rule))
        .withColumn("value", expr("cast(length(trim(clean_text)) as double)"))
        .withColumn("threshold", lit((double) minChars))
        .select(concat(docColumns(), col("stage"), col("rule"), col("value"), col("threshold"), col("quality_score")));
  }

  /** The {@link DocRows#SCHEMA} columns, then the rejection's {@code stage, rule, value, threshold}. */
  private static Column[] docColumns() {
    return Arrays.stream(DocRows.SCHEMA.fieldNames()).map(n -> col(n)).toArray(Column[]::new);
  }

  private static Column[] concat(Column[] a, Column... b) {
    Column[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Executor side of the removal: {@code doc_id, text, domain, drop} → {@link #CLEANED}. */
  static final class RemoveLines implements MapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final int minChars;

    RemoveLines(int minChars) {
      this.minChars = minChars;
    }

    @Override
    public Row call(Row r) {
      String text = r.getString(r.fieldIndex("text"));
      List<Long> drop = r.getList(r.fieldIndex("drop"));
      Set<Long> set = new HashSet<>(drop);
      LineHashes.Removal rm = LineHashes.removeLines(text, set::contains);
      boolean tooShort = rm.charsRemoved() > 0 && rm.text().strip().length() < minChars;
      return RowFactory.create(r.getString(r.fieldIndex("doc_id")), rm.text(), rm.charsRemoved(), rm.linesRemoved(), tooShort);
    }
  }
}
