package dev.sieve.core;

import java.util.List;
import java.util.Objects;

/**
 * The lake layout: one root (a local folder or any Hadoop URI such as {@code s3a://bucket/lake})
 * and the relative paths of the tables every stage agrees on (DESIGN.md, "Tables").
 */
public final class Lake {
  /** Default lake root when {@code --lake} is not given. */
  public static final String DEFAULT_ROOT = "./lake";

  public static final String BRONZE_DOCUMENTS = "bronze/documents";
  public static final String SILVER_FILTERED = "silver/filtered";
  public static final String SILVER_REJECTED = "silver/rejected";
  public static final String SILVER_DEDUPED = "silver/deduped";
  public static final String SILVER_DUP_CLUSTERS = "silver/dup_clusters";
  /** Dedup's persisted MinHash band index: signature and band keys of every document deduped so far. */
  public static final String SILVER_MINHASH_INDEX = "silver/minhash_index";
  public static final String SILVER_CLEAN = "silver/clean";
  public static final String GOLD_SHARD_MANIFEST = "gold/shard_manifest";
  public static final String GOLD_TRAINING_METRICS = "gold/training_metrics";
  public static final String INGEST_FILES = "_sieve/ingest_files";
  public static final String QUARANTINE = "_sieve/quarantine";
  public static final String STAGE_RUNS = "_sieve/stage_runs";

  /** Every table named in DESIGN.md, in data-flow order. */
  public static final List<String> TABLES = List.of(
      BRONZE_DOCUMENTS, SILVER_FILTERED, SILVER_REJECTED, SILVER_DEDUPED, SILVER_DUP_CLUSTERS,
      SILVER_MINHASH_INDEX, SILVER_CLEAN, GOLD_SHARD_MANIFEST, GOLD_TRAINING_METRICS, INGEST_FILES, QUARANTINE, STAGE_RUNS);

  private final String root;

  /** @param root lake root; {@code null} or blank means {@link #DEFAULT_ROOT} */
  public Lake(String root) {
    String r = root == null || root.isBlank() ? DEFAULT_ROOT : root.strip();
    while (r.length() > 1 && r.endsWith("/") && !r.endsWith("://")) r = r.substring(0, r.length() - 1);
    this.root = r;
  }

  public String root() { return root; }

  /** Full path of a table, e.g. {@code path("bronze/documents")}. */
  public String path(String table) {
    Objects.requireNonNull(table, "table");
    if (table.startsWith("/")) throw new IllegalArgumentException("table path must be relative to the lake: " + table);
    return root + "/" + table;
  }

  /** Folder of the token shards of one dataset: {@code gold/shards/<dataset>}. */
  public String shardsPath(String dataset) {
    return path("gold/shards/" + dataset);
  }

  /** Folder of one training run: {@code runs/<run_id>}. */
  public String runPath(String runId) {
    return path("runs/" + runId);
  }

  /**
   * SQL view name of a table path: {@code /} becomes {@code _} and a leading underscore is
   * dropped, so {@code _sieve/stage_runs} is {@code sieve_stage_runs} (DESIGN.md, {@code sql}).
   */
  public static String viewName(String table) {
    String v = table.replace('/', '_').replace('-', '_').replace('.', '_');
    while (v.startsWith("_")) v = v.substring(1);
    return v;
  }

  @Override
  public String toString() { return root; }
}
