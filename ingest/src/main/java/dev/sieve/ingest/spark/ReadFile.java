package dev.sieve.ingest.spark;

import dev.sieve.core.Doc;
import dev.sieve.ingest.DocAssembler;
import dev.sieve.ingest.IngestRecord;
import dev.sieve.ingest.IngestSettings;
import dev.sieve.ingest.LanguageIdentifier;
import dev.sieve.ingest.QuarantineEntry;
import dev.sieve.ingest.RecordReader;
import dev.sieve.ingest.Readers;
import dev.sieve.ingest.Repairs;
import dev.sieve.ingest.WarcRecordReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The per-file work of ingest, run on executors: opens one file (or one {@link FileSplit} of a
 * large gzip WARC/WET file) through Hadoop, streams its records through the format's {@link RecordReader} and {@link DocAssembler}, and yields one row
 * per record — a document, a quarantined record or a skipped one ({@link #SCHEMA}) — and, last, one
 * {@link #FILE} row whose {@code records_framed} is how many records the reader framed (what the
 * job sums over the file's splits and checks the file's documents, skips and quarantines against).
 * A file (split) that cannot be opened yields a single {@code unreadable_file} quarantine row at the
 * split's nominal start (0 for a whole file) and a {@code FILE} row of 1.
 */
final class ReadFile implements FlatMapFunction<FileSplit, Row> {
  private static final long serialVersionUID = 1L;

  static final String DOC = "doc";
  static final String QUARANTINE = "quarantine";
  static final String SKIP = "skip";
  /** The last row of each file: {@code source_file} and {@code records_framed}. */
  static final String FILE = "file";

  /** {@code kind}, the bronze/documents columns (nullable), then the quarantine and skip columns. */
  static final StructType SCHEMA = schema();

  private static StructType schema() {
    StructType s = new StructType().add("kind", DataTypes.StringType, false);
    for (StructField f : dev.sieve.core.spark.DocRows.SCHEMA.fields()) s = s.add(f.name(), f.dataType(), true);
    return s.add("error_kind", DataTypes.StringType, true)
        .add("message", DataTypes.StringType, true)
        .add("snippet", DataTypes.StringType, true)
        .add("reason", DataTypes.StringType, true)
        .add("records_framed", DataTypes.LongType, true)
        .add("repairs", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true);
  }

  private final IngestSettings settings;
  private final String runId;
  private final Map<String, String> hadoopConf;
  private final LongAccumulator filesDone;
  private final LongAccumulator docs;
  private final LongAccumulator bytes;

  ReadFile(IngestSettings settings, String runId, Map<String, String> hadoopConf, LongAccumulator filesDone, LongAccumulator docs,
           LongAccumulator bytes) {
    this.settings = settings;
    this.runId = runId;
    this.hadoopConf = new LinkedHashMap<>(hadoopConf);
    this.filesDone = filesDone;
    this.docs = docs;
    this.bytes = bytes;
  }

  @Override
  public Iterator<Row> call(FileSplit split) throws IOException {
    dev.sieve.core.spark.TaskFaults.maybeFail("ingest");
    InputFile file = split.file();
    long splitBytes = split.nominalEnd() - split.nominalStart();
    Configuration conf = new Configuration(false);
    hadoopConf.forEach(conf::set);
    Path path = new Path(file.path());
    RecordReader reader;
    try {
      HadoopSource source = new HadoopSource(path.getFileSystem(conf), path, file.size());
      if (split.count() == 1) {
        reader = Readers.open(file.format(), source, settings);
      } else {
        long start = split.index() == 0 ? 0 : boundary(source, split.nominalStart(), file.size());
        long end = split.index() == split.count() - 1 ? file.size() : boundary(source, split.nominalEnd(), file.size());
        reader = Readers.openSplit(file.format(), source, settings, start, Math.max(start, end));
      }
    } catch (IOException | RuntimeException e) {
      filesDone.add(1);
      bytes.add(splitBytes);
      // One entry per split that cannot be opened, at the split's nominal start (split 0: offset 0).
      return List.of(quarantineRow(new QuarantineEntry(file.path(), split.nominalStart(), QuarantineEntry.UNREADABLE_FILE,
          e.getClass().getSimpleName() + ": " + e.getMessage(), "")), fileRow(file.path(), 1)).iterator();
    }
    DocAssembler assembler = new DocAssembler(new LanguageIdentifier(settings.languageSampleChars), file.idPath());
    return new Iterator<>() {
      private Row next;
      private boolean closed;

      @Override
      public boolean hasNext() {
        while (next == null && !closed) {
          if (!reader.hasNext()) {
            close();
            next = fileRow(file.path(), reader.framed());
            break;
          }
          IngestRecord r = reader.next();
          next = toRow(r, assembler);
        }
        return next != null;
      }

      @Override
      public Row next() {
        if (!hasNext()) throw new NoSuchElementException();
        Row r = next;
        next = null;
        return r;
      }

      private void close() {
        closed = true;
        filesDone.add(1);
        bytes.add(splitBytes);
        try {
          reader.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** The record boundary at or after {@code nominal} ({@link WarcRecordReader#memberStartAtOrAfter}), or the file's end. */
  private static long boundary(HadoopSource source, long nominal, long size) throws IOException {
    long b = WarcRecordReader.memberStartAtOrAfter(source, nominal);
    return b < 0 ? size : b;
  }

  private Row toRow(IngestRecord r, DocAssembler assembler) {
    if (r instanceof IngestRecord.Parsed p) {
      Repairs repairs = new Repairs().addAll(p.repairs());
      Optional<Doc> d = assembler.assemble(p.doc(), runId, repairs);
      if (d.isEmpty()) return skipRow("empty_text", p.doc().sourceFile(), p.doc().offset());
      docs.add(1);
      return docRow(d.get(), repairs);
    }
    if (r instanceof IngestRecord.Quarantined q) return quarantineRow(q.entry());
    IngestRecord.Skipped s = (IngestRecord.Skipped) r;
    return skipRow(s.reason(), s.sourceFile(), s.offset());
  }

  /** The {@link #FILE} row: how many records the reader framed in {@code path}. */
  static Row fileRow(String path, long framed) {
    Object[] values = new Object[SCHEMA.size()];
    values[0] = FILE;
    values[SCHEMA.fieldIndex("source_file")] = path;
    values[SCHEMA.fieldIndex("records_framed")] = framed;
    return RowFactory.create(values);
  }

  /** A {@link #DOC} row, with what reading and normalising repaired in it ({@code repairs}, kind → count; null when nothing). */
  static Row docRow(Doc d, Repairs repairs) {
    Row doc = dev.sieve.core.spark.DocRows.toRow(d);
    Object[] values = new Object[SCHEMA.size()];
    values[0] = DOC;
    for (int i = 0; i < doc.size(); i++) values[i + 1] = doc.get(i);
    if (repairs != null && !repairs.isEmpty()) {
      values[SCHEMA.fieldIndex("repairs")] = scala.jdk.javaapi.CollectionConverters.asScala(new LinkedHashMap<>(repairs.asMap()));
    }
    return RowFactory.create(values);
  }

  private Row quarantineRow(QuarantineEntry q) {
    Object[] values = new Object[SCHEMA.size()];
    values[0] = QUARANTINE;
    values[SCHEMA.fieldIndex("source_file")] = q.sourceFile();
    values[SCHEMA.fieldIndex("source_offset")] = q.offset();
    values[SCHEMA.fieldIndex("run_id")] = runId;
    values[SCHEMA.fieldIndex("error_kind")] = q.errorKind();
    values[SCHEMA.fieldIndex("message")] = q.message();
    values[SCHEMA.fieldIndex("snippet")] = q.snippet();
    return RowFactory.create(values);
  }

  private Row skipRow(String reason, String file, long offset) {
    Object[] values = new Object[SCHEMA.size()];
    values[0] = SKIP;
    values[SCHEMA.fieldIndex("source_file")] = file;
    values[SCHEMA.fieldIndex("source_offset")] = offset;
    values[SCHEMA.fieldIndex("reason")] = reason;
    return RowFactory.create(values);
  }

}
