package dev.sieve.ingest.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.StageRun;
import dev.sieve.ingest.IngestSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.types.StructField;
import scala.Option;

/**
 * Ingest's one pass: reads the input and writes its documents as Parquet data files of
 * {@code bronze/documents} in the same job, through a Delta transaction that is not committed yet
 * (Delta's own writer: the table's schema, invariants and file statistics), while a
 * {@link TallyAccumulator} counts every record per file and reason and keeps the quarantine
 * entries. The run then checks the written documents' ids ({@link DuplicateKeys}, reading only the
 * {@code doc_id} column of these files) and {@link #commit}s them as one append, or, when an id
 * needs a decision or the files read have earlier rows in bronze, writes bronze the MERGE way from
 * {@link #records} and {@link #discard}s these files.
 *
 * <p>Until the commit the files are invisible to every reader of the table (Delta lists the data
 * files its log names); a run killed before it leaves them as unreferenced files, which the next
 * run does not see and {@code VACUUM} deletes.
 *
 * <p>Files: the record files' splits are read by at most max(cores, input bytes /
 * {@link IngestWrites#WRITE_BYTES}) tasks, each writing one Parquet file, so a file holds the
 * documents of about {@link IngestWrites#WRITE_BYTES} of input (or of a core's share of a small run).
 */
final class StagedBronze {
  private final SparkSession spark;
  private final String path;
  private final OptimisticTransaction txn;
  private final List<AddFile> files;
  private final IngestTally tally;

  private StagedBronze(SparkSession spark, String path, OptimisticTransaction txn, List<AddFile> files, IngestTally tally) {
    this.spark = spark;
    this.path = path;
    this.txn = txn;
    this.files = files;
    this.tally = tally;
  }

  /**
   * Reads the plan's files and writes their documents to uncommitted files of
   * {@code bronze/documents} (creating the table, empty, when absent).
   *
   * @throws IllegalStateException when the files written hold other than the documents the tally counted
   */
  static StagedBronze write(SparkSession spark, Lake lake, IngestSettings settings, StageRun run, IngestPlan plan) {
    String path = lake.path(Lake.BRONZE_DOCUMENTS);
    IngestWrites.createBronze(spark, path);
    OptimisticTransaction txn = DeltaLog.forTable(spark, path).startTransaction();
    TallyAccumulator acc = new TallyAccumulator();
    spark.sparkContext().register(acc, "ingest.tally");
    int tasks = (int) Math.max(spark.sparkContext().defaultParallelism(),
        Math.min(100_000, (plan.bytes() + IngestWrites.WRITE_BYTES - 1) / IngestWrites.WRITE_BYTES));
    scala.collection.immutable.Seq<FileAction> actions = IngestRead.withRecords(spark, settings, run, plan, tasks, rows -> {
      JavaRDD<Row> docs = rows.flatMap(new ToBronze(acc));
      return IngestWrites.withPlainText(spark, () -> txn.writeFiles(spark.createDataFrame(docs, DocRows.SCHEMA)));
    });
    List<AddFile> added = new ArrayList<>();
    for (FileAction a : scala.jdk.javaapi.CollectionConverters.asJava(actions)) {
      if (a instanceof AddFile f) added.add(f);
    }
    IngestTally tally = acc.value();
    long written = added.stream().mapToLong(f -> (Long) f.numLogicalRecords().getOrElse(() -> -1L)).sum();
    if (!tally.overflow && written != tally.documents()) {
      throw new IllegalStateException("ingest: the files written hold " + written + " documents, the tally counts " + tally.documents());
    }
    return new StagedBronze(spark, path, txn, List.copyOf(added), tally);
  }

  /** What the records came to, counted as they were read. */
  IngestTally tally() {
    return tally;
  }

  /**
   * The run's records as {@link ReadFile#SCHEMA} rows: the documents written (read back from these
   * files; a query that needs only {@code doc_id} reads only that column) and the quarantine
   * entries. Skips are in the tally only.
   */
  Dataset<Row> records() {
    Dataset<Row> quarantine = spark.createDataFrame(tally.quarantineRows, ReadFile.SCHEMA);
    if (files.isEmpty()) return quarantine;
    String[] paths = files.stream().map(f -> absolute(f).toString()).toArray(String[]::new);
    Dataset<Row> docs = spark.read().schema(DocRows.SCHEMA).parquet(paths);
    List<Column> cols = new ArrayList<>();
    for (StructField f : ReadFile.SCHEMA.fields()) {
      if (f.name().equals("kind")) cols.add(lit(ReadFile.DOC).as("kind"));
      else if (Arrays.asList(DocRows.SCHEMA.fieldNames()).contains(f.name())) cols.add(col(f.name()));
      else cols.add(lit(null).cast(f.dataType()).as(f.name()));
    }
    return docs.select(cols.toArray(Column[]::new)).unionByName(quarantine);
  }

  /**
   * Commits the files as one append to {@code bronze/documents}.
   *
   * @return the table's version after the commit
   */
  long commit(StageRun run) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    scala.collection.immutable.Seq<org.apache.spark.sql.delta.actions.Action> actions =
        (scala.collection.immutable.Seq) scala.jdk.javaapi.CollectionConverters.asScala(files).toList();
    long v = txn.commit(actions, new DeltaOperations.Write(SaveMode.Append, Option.empty(), Option.empty(), Option.empty()));
    run.wrote(Lake.BRONZE_DOCUMENTS, v);
    return v;
  }

  /** Deletes the files, never committed (after bronze was written another way). */
  void discard() {
    try {
      FileSystem fs = new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (AddFile f : files) fs.delete(absolute(f), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path absolute(AddFile f) {
    try {
      return new Path(new Path(path), new Path(new URI(f.path())));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad data file path in a Delta action: " + f.path(), e);
    }
  }

  /** Executor side: tallies every record and passes on the documents as {@code bronze/documents} rows ({@link DocRows#SCHEMA}). */
  static final class ToBronze implements FlatMapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final int DOC_COLUMNS = DocRows.SCHEMA.size();
    private final TallyAccumulator tally;

    ToBronze(TallyAccumulator tally) {
      this.tally = tally;
    }

    @Override
    public Iterator<Row> call(Row r) {
      tally.add(r);
      if (!ReadFile.DOC.equals(r.getString(0))) return Collections.emptyIterator();
      Object[] v = new Object[DOC_COLUMNS];
      for (int i = 0; i < DOC_COLUMNS; i++) v[i] = r.get(i + 1);
      return Collections.singletonList(RowFactory.create(v)).iterator();
    }
  }
}
