package dev.sieve.cli.inspect;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.sieve.cli.inspect.LakeSnapshot.ContaminationSummary;
import dev.sieve.cli.inspect.LakeSnapshot.DedupSummary;
import dev.sieve.cli.inspect.LakeSnapshot.Funnel;
import dev.sieve.cli.inspect.LakeSnapshot.FunnelStep;
import dev.sieve.cli.inspect.LakeSnapshot.PiiSummary;
import dev.sieve.cli.inspect.LakeSnapshot.RuleDrop;
import dev.sieve.cli.inspect.LakeSnapshot.TableInfo;
import dev.sieve.core.Lake;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The document funnel of a lake: documents per table from ingest to the token shards, and what
 * each stage dropped or found: rule drops ({@code silver/rejected}), duplicate clusters, PII kinds,
 * contaminated documents, quarantined records. One aggregate query per summary; a summary whose
 * table is missing is null (or empty), one that fails is a note.
 */
final class FunnelReader {
  private FunnelReader() {}

  static Funnel read(LakeQuery q) {
    Long tokenizedDocs = null;
    Long tokens = null;
    if (q.exists(Lake.GOLD_SHARD_MANIFEST)) {
      Row r = q.df(Lake.GOLD_SHARD_MANIFEST).agg(expr("coalesce(sum(documents), 0)"), expr("coalesce(sum(tokens), 0)")).head();
      tokenizedDocs = ((Number) r.get(0)).longValue();
      tokens = ((Number) r.get(1)).longValue();
    }
    List<FunnelStep> steps = new ArrayList<>(List.of(
        step("ingested", Lake.BRONZE_DOCUMENTS, q),
        step("filtered", Lake.SILVER_FILTERED, q),
        step("deduped", Lake.SILVER_DEDUPED, q),
        step("clean", Lake.SILVER_CLEAN, q)));
    // Decontamination is optional: its step shows only on lakes where it ran.
    if (q.exists(Lake.SILVER_DECONTAMINATED)) steps.add(step("decontaminated", Lake.SILVER_DECONTAMINATED, q));
    steps.add(new FunnelStep("tokenized", Lake.GOLD_SHARD_MANIFEST, tokenizedDocs, tokens));
    long rejected = q.table(Lake.SILVER_REJECTED).rows();
    List<RuleDrop> drops = q.section("rule drops", () -> ruleDrops(q), List.of(), Lake.SILVER_REJECTED);
    DedupSummary dedup = q.section("duplicates", () -> dedup(q), null, Lake.SILVER_DUP_CLUSTERS);
    PiiSummary pii = q.section("PII", () -> pii(q), null, Lake.SILVER_CLEAN);
    ContaminationSummary contamination = q.section("contamination", () -> contamination(q), null, Lake.SILVER_CONTAMINATION);
    Map<String, Long> quarantine = q.section("quarantine", () -> quarantine(q), Map.of(), Lake.QUARANTINE);
    return new Funnel(steps, rejected, drops, dedup, pii, contamination, q.table(Lake.QUARANTINE).rows(), quarantine);
  }

  private static FunnelStep step(String name, String table, LakeQuery q) {
    TableInfo i = q.table(table);
    return new FunnelStep(name, table, i.exists() ? i.rows() : null, null);
  }

  /** Rejected documents per stage and rule, most first. */
  private static List<RuleDrop> ruleDrops(LakeQuery q) {
    Dataset<Row> d = q.df(Lake.SILVER_REJECTED);
    String stage = LakeQuery.has(d, "stage") ? "stage" : "'coarse'";
    List<RuleDrop> out = new ArrayList<>();
    for (Row r : d.groupBy(expr(stage).as("stage"), col("rule")).count().orderBy(col("count").desc(), col("stage"), col("rule")).collectAsList()) {
      out.add(new RuleDrop(r.getString(0), r.getString(1), r.getLong(2)));
    }
    return out;
  }

  /** Clusters of more than one document, their members, and the members dropped as exact and as near duplicates. */
  private static DedupSummary dedup(LakeQuery q) {
    Row r = q.df(Lake.SILVER_DUP_CLUSTERS).where("cluster_size > 1").agg(
        expr("count(distinct cluster_id)"), expr("count(*)"),
        expr("count_if(NOT kept AND match = 'exact')"), expr("count_if(NOT kept AND match <> 'exact')")).head();
    return new DedupSummary(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3));
  }

  /** Clean documents, those that held PII, and the replacements per kind. */
  private static PiiSummary pii(LakeQuery q) {
    Dataset<Row> d = q.df(Lake.SILVER_CLEAN);
    Row r = d.agg(expr("count(*)"), expr("count_if(exists(map_values(pii_counts), v -> v > 0))")).head();
    Map<String, Long> kinds = new TreeMap<>();
    for (Row k : d.select(expr("explode(pii_counts) AS (kind, n)")).groupBy("kind").agg(expr("sum(n)")).collectAsList()) {
      kinds.put(k.getString(0), ((Number) k.get(1)).longValue());
    }
    return new PiiSummary(r.getLong(0), r.getLong(1), LakeQuery.sortedByValue(kinds));
  }

  /** Contaminated documents, per action and per benchmark. */
  private static ContaminationSummary contamination(LakeQuery q) {
    Dataset<Row> d = q.df(Lake.SILVER_CONTAMINATION);
    return new ContaminationSummary(d.select("doc_id").distinct().count(), distinctDocsBy(d, "action"), distinctDocsBy(d, "benchmark"));
  }

  /** Quarantined records per error kind, most first. */
  private static Map<String, Long> quarantine(LakeQuery q) {
    Map<String, Long> m = new TreeMap<>();
    for (Row r : q.df(Lake.QUARANTINE).groupBy(expr("coalesce(error_kind, 'unknown')")).count().collectAsList()) m.put(r.getString(0), r.getLong(1));
    return LakeQuery.sortedByValue(m);
  }

  /** Distinct documents per value of {@code column}, largest first. */
  private static Map<String, Long> distinctDocsBy(Dataset<Row> d, String column) {
    Map<String, Long> m = new TreeMap<>();
    for (Row r : d.groupBy(col(column)).agg(expr("count(distinct doc_id)")).collectAsList()) m.put(r.getString(0), r.getLong(1));
    return LakeQuery.sortedByValue(m);
  }
}
