package dev.sieve.pii.spark;

import dev.sieve.core.spark.Partitions;
import dev.sieve.pii.PiiInput;
import dev.sieve.pii.PiiScrubber;
import dev.sieve.pii.PiiSettings;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of the pii stage: scrubs {@code text} and {@code title} of each row with the
 * {@link PiiScrubber} chain and adds {@code pii_counts} (kind → spans replaced, both fields) and
 * {@code pii_error}. A document a detector fails on comes out with null text and title and the
 * error's class name (never its message, which could quote the input), so it can be quarantined
 * without any raw value leaving the executor.
 */
final class ScrubDocs implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final StructType input;
  private final PiiSettings settings;
  private final LongAccumulator done;

  ScrubDocs(StructType input, PiiSettings settings, LongAccumulator done) {
    this.input = input;
    this.settings = settings;
    this.done = done;
  }

  static StructType outputSchema(StructType input) {
    return input.add("pii_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType, false), false)
        .add("pii_error", DataTypes.StringType, true);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    PiiScrubber scrubber = PiiScrubber.fromSettings(settings);
    int text = input.fieldIndex("text");
    int title = input.fieldIndex("title");
    int language = input.fieldIndex("language");
    int domain = input.fieldIndex("domain");
    return Partitions.map(rows, r -> scrub(r, scrubber, text, title, language, domain));
  }

  private Row scrub(Row r, PiiScrubber scrubber, int text, int title, int language, int domain) {
    Object[] v = new Object[r.length() + 2];
    for (int i = 0; i < r.length(); i++) v[i] = r.get(i);
    Map<String, Integer> counts = new HashMap<>();
    try {
      String lang = r.getString(language);
      String host = r.getString(domain);
      PiiScrubber.Result body = scrubber.scrub(new PiiInput(r.getString(text), lang, host));
      v[text] = body.text();
      body.counts().forEach((k, n) -> counts.merge(k, n, Integer::sum));
      if (!r.isNullAt(title)) {
        PiiScrubber.Result head = scrubber.scrub(new PiiInput(r.getString(title), lang, host));
        v[title] = head.text();
        head.counts().forEach((k, n) -> counts.merge(k, n, Integer::sum));
      }
      v[r.length() + 1] = null;
    } catch (RuntimeException | StackOverflowError e) {
      v[text] = null;
      v[title] = null;
      counts.clear();
      v[r.length() + 1] = e.getClass().getName();
    }
    v[r.length()] = scala.jdk.javaapi.CollectionConverters.asScala(counts);
    done.add(1);
    return RowFactory.create(v);
  }
}
