package dev.sieve.filter.spark;

import dev.sieve.filter.DocText;
import dev.sieve.filter.FilterSettings;
import dev.sieve.filter.QualityClassifier;
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
  /** File name of the classifier model shipped with {@code SparkContext.addFile}, or null. */
  private final String modelFile;

  ApplyRules(StructType input, FilterSettings settings, RuleChain.Blocklists lists, String modelFile) {
    this.input = input;
    this.settings = settings;
    this.lists = lists;
    this.modelFile = modelFile;
  }

  static StructType outputSchema(StructType input) {
    StructType s = input;
    return s.add("kept", DataTypes.BooleanType, false)
        .add("stage", DataTypes.StringType, true)
        .add("quality_score", DataTypes.DoubleType, true)
        .add("rule", DataTypes.StringType, true)
        .add("value", DataTypes.DoubleType, true)
        .add("threshold", DataTypes.DoubleType, true)
        .add("signals", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    RuleChain chain = RuleChain.fromSettings(settings, lists);
    QualityClassifier classifier = modelFile == null ? null : QualityClassifier.load(java.nio.file.Path.of(org.apache.spark.SparkFiles.get(modelFile)));
    int docId = input.fieldIndex("doc_id");
    int text = input.fieldIndex("text");
    int language = input.fieldIndex("language");
    int score = input.fieldIndex("language_score");
    int metadata = input.fieldIndex("metadata");
    int source = input.fieldIndex("source");
    int url = input.fieldIndex("url");
    return new Iterator<>() {
      private boolean closed;

      @Override
      public boolean hasNext() {
        boolean more = rows.hasNext();
        if (!more && !closed && classifier != null) {
          classifier.close();
          closed = true;
        }
        return more;
      }

      @Override
      public Row next() {
        Row r = rows.next();
        scala.collection.Map<String, String> meta = r.isNullAt(metadata) ? null : r.getMap(metadata);
        DocText doc = new DocText(r.getString(text), r.getString(language), r.isNullAt(score) ? 0 : r.getDouble(score),
            declaredLanguage(meta, r.getString(source))).withUrl(r.getString(url));
        Verdict v = chain.apply(doc);
        String stage = v.kept() ? null : "coarse";
        Double score = null;
        if (v.kept() && classifier != null) {
          score = classifier.score(doc.text());
          FilterSettings.Classifier c = settings.classifier;
          boolean keep = c.paretoAlpha > 0 ? QualityClassifier.paretoKeep(score, r.getString(docId), c.paretoAlpha) : score >= c.threshold;
          if (!keep) {
            v = Verdict.reject(c.paretoAlpha > 0 ? "quality_pareto" : "quality_classifier", score, c.paretoAlpha > 0 ? c.paretoAlpha : c.threshold);
            stage = "quality";
          }
        }
        Object[] values = new Object[r.size() + 7];
        for (int i = 0; i < r.size(); i++) values[i] = r.get(i);
        values[r.size()] = v.kept();
        values[r.size() + 1] = stage;
        values[r.size() + 2] = score;
        values[r.size() + 3] = v.rule();
        values[r.size() + 4] = v.kept() ? null : v.value();
        values[r.size() + 5] = v.kept() ? null : v.threshold();
        Map<String, Double> signals = new LinkedHashMap<>();
        signals.put("words", (double) doc.words().size());
        signals.put("lines", (double) doc.lines().size());
        signals.put("cjk_chars", (double) doc.cjkChars());
        values[r.size() + 6] = scala.jdk.javaapi.CollectionConverters.asScala(signals);
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
