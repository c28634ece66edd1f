package dev.sieve.filter.spark;

import dev.sieve.core.Doc;
import dev.sieve.filter.FilterSettings;
import dev.sieve.filter.Judge;
import dev.sieve.filter.Judgement;
import dev.sieve.filter.QualityClassifier;
import dev.sieve.filter.RuleChain;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Adapts {@link Judge} to bronze rows on executors: each row is read by column name into a {@link
 * Doc}, judged, and comes out with its document columns unchanged plus the {@link Judgement}'s
 * ({@link #outputSchema}). The decisions themselves live in {@link Judge}.
 */
final class ApplyRules implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final FilterSettings settings;
  private final RuleChain.Blocklists lists;
  /**
   * The classifier model's bytes, read on the driver, or null. They travel in the task closure
   * (not {@code SparkContext.addFile}: on a standalone cluster the executors never fetched the
   * added file, StandaloneClusterIT).
   */
  private final byte[] model;

  ApplyRules(FilterSettings settings, RuleChain.Blocklists lists, byte[] model) {
    this.settings = settings;
    this.lists = lists;
    this.model = model;
  }

  /** The model in this JVM's temp folder, named after its content hash, written once. */
  private java.nio.file.Path localModel() {
    String sha = java.util.HexFormat.of().formatHex(dev.sieve.core.DocIds.sha256().digest(model)).substring(0, 16);
    java.nio.file.Path local = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "sieve-models", "quality-" + sha + ".bin");
    return dev.sieve.core.LocalFiles.writeOnce(local, model, "classifier model");
  }

  /** The input columns, then {@code kept, stage, quality_score, rule, value, threshold, signals}. */
  static StructType outputSchema(StructType input) {
    return input.add("kept", DataTypes.BooleanType, false)
        .add("stage", DataTypes.StringType, true)
        .add("quality_score", DataTypes.DoubleType, true)
        .add("rule", DataTypes.StringType, true)
        .add("value", DataTypes.DoubleType, true)
        .add("threshold", DataTypes.DoubleType, true)
        .add("signals", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    QualityClassifier classifier = model == null ? null : QualityClassifier.load(localModel());
    Judge judge = new Judge(RuleChain.fromSettings(settings, lists), RuleChain.fromSettings(settings, lists, settings.conversationRules), settings.classifier, classifier == null ? null : classifier::score);
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
        return withJudgement(r, judge.judge(doc(r)));
      }
    };
  }

  /** The columns the judge reads, by name; a null text reads as empty, a null language score as 0 (as rules always saw them). */
  static Doc doc(Row r) {
    String text = r.getAs("text");
    Map<String, String> meta = r.isNullAt(r.fieldIndex("metadata")) ? null : r.getJavaMap(r.fieldIndex("metadata"));
    String source = r.getAs("source");
    return Doc.builder()
        .docId(r.getAs("doc_id"))
        .source(source == null ? "" : source)
        .url(r.getAs("url"))
        .language(r.getAs("language"))
        .languageScore(r.isNullAt(r.fieldIndex("language_score")) ? 0 : r.<Double>getAs("language_score"))
        .text(text == null ? "" : text)
        .metadata(meta)
        .build();
  }

  /** The input row's values followed by the judgement's, in {@link #outputSchema} order. */
  static Row withJudgement(Row r, Judgement j) {
    Object[] values = new Object[r.size() + 7];
    for (int i = 0; i < r.size(); i++) values[i] = r.get(i);
    values[r.size()] = j.kept();
    values[r.size() + 1] = j.stage();
    values[r.size() + 2] = j.qualityScore();
    values[r.size() + 3] = j.rule();
    values[r.size() + 4] = j.value();
    values[r.size() + 5] = j.threshold();
    values[r.size() + 6] = scala.jdk.javaapi.CollectionConverters.asScala(j.signals());
    return RowFactory.create(values);
  }
}
