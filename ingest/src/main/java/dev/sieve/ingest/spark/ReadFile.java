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
 * The per-file work of ingest, run on executors: opens one file through Hadoop, streams its
 * records through the format's {@link RecordReader} and {@link DocAssembler}, and yields one row
 * per record — a document, a quarantined record or a skipped one ({@link #SCHEMA}) — and, last, one
 * {@link #FILE} row whose {@code records_framed} is how many records the reader framed (what the
 * job checks the file's documents, skips and quarantines against). A file that cannot be opened
 * yields a single {@code unreadable_file} quarantine row (and a {@code FILE} row of 1).
 */
final class ReadFile implements FlatMapFunction<InputFile, Row> {
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
  public Iterator<Row> call(InputFile file) throws IOException {
    Configuration conf = new Configuration(false);
    hadoopConf.forEach(conf::set);
    Path path = new Path(file.path());
    RecordReader reader;
    try {
      reader = Readers.open(file.format(), new HadoopSource(path.getFileSystem(conf), path, file.size()), settings);
    } catch (IOException | RuntimeException e) {
      filesDone.add(1);
      bytes.add(file.size());
      return List.of(quarantineRow(new QuarantineEntry(file.path(), 0, QuarantineEntry.UNREADABLE_FILE,
          e.getClass().getSimpleName() + ": " + e.getMessage(), "")), fileRow(file.path(), 1)).iterator();
    }
    DocAssembler assembler = new DocAssembler(new LanguageIdentifier(settings.languageSampleChars));
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
        bytes.add(file.size());
        try {
          reader.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
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
