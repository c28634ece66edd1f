package dev.sieve.decontaminate.spark;

import dev.sieve.core.spark.Partitions;
import dev.sieve.decontaminate.BenchmarkIndex;
import dev.sieve.decontaminate.Decontaminator;
import dev.sieve.decontaminate.DecontaminateSettings;
import dev.sieve.decontaminate.Tokens;
import dev.sieve.pii.PiiInput;
import dev.sieve.pii.PiiScrubber;
import dev.sieve.pii.PiiSettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of decontaminate: scans each row's {@code text} once with a {@link Decontaminator}
 * over the broadcast index and adds {@code decon_text} (the text, or what the {@code cut} policy
 * left), {@code decon_action} ({@value #KEEP}, {@value #CUT}, {@value #DROP},
 * {@value #DROP_SHORT}), {@code decon_benchmark} (the benchmark the document counts against) and
 * {@code decon_hits} (per item matched: benchmark, item id, n-grams, first span's offsets in the
 * silver/clean text, and the span itself scrubbed by pii's chain).
 */
final class ScanDocs implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  static final String KEEP = "keep";
  static final String CUT = "cut";
  static final String DROP = "drop";
  static final String DROP_SHORT = "drop_short";

  static final StructType HIT = new StructType()
      .add("benchmark", DataTypes.StringType, false)
      .add("item_id", DataTypes.StringType, false)
      .add("matched_ngrams", DataTypes.IntegerType, false)
      .add("span_start", DataTypes.IntegerType, false)
      .add("span_end", DataTypes.IntegerType, false)
      .add("span", DataTypes.StringType, true);

  private final StructType input;
  private final Broadcast<BenchmarkIndex> index;
  private final DecontaminateSettings settings;
  private final PiiSettings pii;
  private final LongAccumulator done;

  ScanDocs(StructType input, Broadcast<BenchmarkIndex> index, DecontaminateSettings settings, PiiSettings pii, LongAccumulator done) {
    this.input = input;
    this.index = index;
    this.settings = settings;
    this.pii = pii;
    this.done = done;
  }

  static StructType outputSchema(StructType input) {
    return input.add("decon_text", DataTypes.StringType, true)
        .add("decon_action", DataTypes.StringType, false)
        .add("decon_benchmark", DataTypes.StringType, true)
        .add("decon_hits", DataTypes.createArrayType(HIT, false), false);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    BenchmarkIndex idx = index.value();
    Decontaminator d = new Decontaminator(idx);
    PiiScrubber scrubber = PiiScrubber.fromSettings(pii);
    List<String> order = idx.benchmarks();
    int text = input.fieldIndex("text");
    int language = input.fieldIndex("language");
    int domain = input.fieldIndex("domain");
    return Partitions.map(rows, r -> {
      String t = r.getString(text);
      Decontaminator.Scan s = d.scan(t);
      Object[] v = new Object[r.length() + 4];
      for (int i = 0; i < r.length(); i++) v[i] = r.get(i);
      String action = KEEP;
      String out = t;
      List<Row> hits = new ArrayList<>(s.hits().size());
      if (s.contaminated()) {
        if (settings.cut()) {
          out = s.cut(t);
          action = Tokens.count(out) < settings.minTokensAfterCut ? DROP_SHORT : CUT;
        } else {
          action = DROP;
        }
        for (Decontaminator.Hit h : s.hits()) {
          String span = scrubber.scrub(new PiiInput(t.substring(h.spanStart(), h.spanEnd()), r.getString(language), r.getString(domain))).text();
          hits.add(RowFactory.create(h.benchmark(), h.itemId(), h.ngrams(), h.spanStart(), h.spanEnd(), span));
        }
      }
      v[r.length()] = action.equals(DROP) || action.equals(DROP_SHORT) ? null : out;
      v[r.length() + 1] = action;
      v[r.length() + 2] = s.mainBenchmark(order);
      v[r.length() + 3] = scala.jdk.javaapi.CollectionConverters.asScala(hits).toSeq();
      done.add(1);
      return RowFactory.create(v);
    });
  }
}
