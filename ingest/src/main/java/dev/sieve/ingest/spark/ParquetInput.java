package dev.sieve.ingest.spark;

import dev.sieve.core.Doc;
import dev.sieve.ingest.DocAssembler;
import dev.sieve.ingest.IngestSettings;
import dev.sieve.ingest.InputFormat;
import dev.sieve.ingest.LanguageIdentifier;
import dev.sieve.ingest.QuarantineEntry;
import dev.sieve.ingest.RawDoc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Parquet inputs, read by Spark itself: the configured text, id, URL and title columns
 * ({@code ingest.jsonl_*_field}) become documents. The id column is a key inside the file (the
 * identity is source, file, id); a file without one, or a row whose id is null or empty, is
 * identified by the row's position in the file ({@link dev.sieve.ingest.DocAssembler#docId}). A
 * file without the text column is quarantined whole. Each file also yields its
 * {@link ReadFile#FILE} row: records framed = the file's row count (1 for a file quarantined whole).
 */
final class ParquetInput {
  private ParquetInput() {}

  static Dataset<Row> read(SparkSession spark, List<InputFile> files, IngestSettings s, String runId) {
    Dataset<Row> out = spark.createDataFrame(List.of(), ReadFile.SCHEMA);
    for (InputFile f : files) {
      Dataset<Row> df = spark.read().parquet(f.path());
      List<String> cols = Arrays.asList(df.columns());
      if (!cols.contains(s.jsonlTextField)) {
        Object[] v = new Object[ReadFile.SCHEMA.size()];
        v[0] = ReadFile.QUARANTINE;
        v[ReadFile.SCHEMA.fieldIndex("source_file")] = f.path();
        v[ReadFile.SCHEMA.fieldIndex("source_offset")] = 0L;
        v[ReadFile.SCHEMA.fieldIndex("run_id")] = runId;
        v[ReadFile.SCHEMA.fieldIndex("error_kind")] = QuarantineEntry.MISSING_FIELD;
        v[ReadFile.SCHEMA.fieldIndex("message")] = "no column '" + s.jsonlTextField + "' (columns: " + String.join(", ", cols) + ")";
        v[ReadFile.SCHEMA.fieldIndex("snippet")] = "";
        out = out.union(spark.createDataFrame(List.of(RowFactory.create(v), ReadFile.fileRow(f.path(), 1)), ReadFile.SCHEMA));
        continue;
      }
      // The row count comes from the Parquet footers, independently of the rows turned into records below.
      long framed = df.count();
      String[] wanted = {s.jsonlTextField, s.jsonlIdField, s.jsonlUrlField, s.jsonlTitleField};
      org.apache.spark.sql.Column[] select = new org.apache.spark.sql.Column[wanted.length];
      for (int i = 0; i < wanted.length; i++) {
        select[i] = cols.contains(wanted[i]) ? df.col(wanted[i]).cast("string") : org.apache.spark.sql.functions.lit(null).cast("string");
      }
      var rows = df.select(select).javaRDD().zipWithIndex().mapPartitions(new ToRecords(s, runId, f.path(), f.idPath()));
      out = out.union(spark.createDataFrame(rows, ReadFile.SCHEMA))
          .union(spark.createDataFrame(List.of(ReadFile.fileRow(f.path(), framed)), ReadFile.SCHEMA));
    }
    return out;
  }

  /** Named function: (text, id, url, title) rows with their position → ingest record rows. */
  static final class ToRecords implements FlatMapFunction<Iterator<Tuple2<Row, Long>>, Row> {
    private static final long serialVersionUID = 1L;
    private final IngestSettings settings;
    private final String runId;
    private final String file;
    private final String idFile;

    ToRecords(IngestSettings settings, String runId, String file, String idFile) {
      this.settings = settings;
      this.runId = runId;
      this.file = file;
      this.idFile = idFile;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<Row, Long>> it) {
      DocAssembler asm = new DocAssembler(new LanguageIdentifier(settings.languageSampleChars), idFile);
      String corpus = settings.sourceFor(InputFormat.PARQUET);
      List<Row> out = new ArrayList<>();
      while (it.hasNext()) {
        Tuple2<Row, Long> t = it.next();
        Row r = t._1();
        long pos = t._2();
        Object[] v = new Object[ReadFile.SCHEMA.size()];
        v[ReadFile.SCHEMA.fieldIndex("source_file")] = file;
        v[ReadFile.SCHEMA.fieldIndex("source_offset")] = pos;
        String text = r.getString(0);
        if (text == null) {
          v[0] = ReadFile.QUARANTINE;
          v[ReadFile.SCHEMA.fieldIndex("run_id")] = runId;
          v[ReadFile.SCHEMA.fieldIndex("error_kind")] = QuarantineEntry.MISSING_FIELD;
          v[ReadFile.SCHEMA.fieldIndex("message")] = "null '" + settings.jsonlTextField + "' in row " + pos;
          v[ReadFile.SCHEMA.fieldIndex("snippet")] = "";
          out.add(RowFactory.create(v));
          continue;
        }
        String id = r.getString(1);
        dev.sieve.ingest.Repairs repairs = new dev.sieve.ingest.Repairs();
        Optional<Doc> d = asm.assemble(new RawDoc(corpus, r.getString(2), id == null || id.isEmpty() ? null : id, "", r.getString(3), text,
            null, file, pos, null), runId, repairs);
        if (d.isEmpty()) {
          v[0] = ReadFile.SKIP;
          v[ReadFile.SCHEMA.fieldIndex("reason")] = "empty_text";
          out.add(RowFactory.create(v));
          continue;
        }
        out.add(ReadFile.docRow(d.get(), repairs));
      }
      return out.iterator();
    }
  }
}
