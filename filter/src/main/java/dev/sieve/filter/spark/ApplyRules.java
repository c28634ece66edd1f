package dev.sieve.filter.spark;

import dev.sieve.filter.DocText;
import dev.sieve.filter.FilterSettings;
import dev.sieve.filter.RuleChain;
import dev.sieve.filter.Verdict;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Runs the coarse {@link RuleChain} over bronze rows on executors: each row comes out with its
 * document columns, {@code kept}, the rejecting {@code rule}, {@code value} and
 * {@code threshold}, and {@code signals} (a few measured values kept with every document).
 */
final class ApplyRules implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final StructType input;
  private final FilterSettings settings;
  private final RuleChain.Blocklists lists;

  ApplyRules(StructType input, FilterSettings settings, RuleChain.Blocklists lists) {
    this.input = input;
    this.settings = settings;
    this.lists = lists;
  }

  static StructType outputSchema(StructType input) {
    StructType s = input;
    return s.add("kept", DataTypes.BooleanType, false)
        .add("rule", DataTypes.StringType, true)
        .add("value", DataTypes.DoubleType, true)
        .add("threshold", DataTypes.DoubleType, true)
        .add("signals", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    RuleChain chain = RuleChain.fromSettings(settings, lists);
    int text = input.fieldIndex("text");
    int language = input.fieldIndex("language");
    int score = input.fieldIndex("language_score");
    int metadata = input.fieldIndex("metadata");
    int source = input.fieldIndex("source");
    int url = input.fieldIndex("url");
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        scala.collection.Map<String, String> meta = r.isNullAt(metadata) ? null : r.getMap(metadata);
        DocText doc = new DocText(r.getString(text), r.getString(language), r.isNullAt(score) ? 0 : r.getDouble(score),
            declaredLanguage(meta, r.getString(source))).withUrl(r.getString(url));
        Verdict v = chain.apply(doc);
        Object[] values = new Object[r.size() + 5];
        for (int i = 0; i < r.size(); i++) values[i] = r.get(i);
        values[r.size()] = v.kept();
        values[r.size() + 1] = v.rule();
        values[r.size() + 2] = v.kept() ? null : v.value();
        values[r.size() + 3] = v.kept() ? null : v.threshold();
        Map<String, Double> signals = new LinkedHashMap<>();
        signals.put("words", (double) doc.words().size());
        signals.put("lines", (double) doc.lines().size());
        signals.put("cjk_chars", (double) doc.cjkChars());
        values[r.size() + 4] = scala.jdk.javaapi.CollectionConverters.asScala(signals);
        return RowFactory.create(values);
      }
    };
  }

  /** What the source says the language is: {@code html_lang}, a JSONL {@code lang} field, or WuDao (a Chinese corpus). */
  static String declaredLanguage(scala.collection.Map<String, String> meta, String source) {
    if (meta != null) {
      for (String key : List.of("html_lang", "lang")) {
        scala.Option<String> v = meta.get(key);
        if (v.isDefined() && !v.get().isBlank()) return v.get().toLowerCase(Locale.ROOT);
      }
    }
    return "wudao".equals(source) ? "zh" : null;
  }

}
