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
  /** Dedup's line counts: per normalised line hash, on how many documents and domains it occurs (line dedup). */
  public static final String SILVER_LINE_COUNTS = "silver/line_counts";
  public static final String SILVER_CLEAN = "silver/clean";
  /** Decontaminate's output when benchmarks are configured: silver/clean less (or cut of) the documents that overlap a benchmark. */
  public static final String SILVER_DECONTAMINATED = "silver/decontaminated";
  /** One row per (document, benchmark item) decontaminate matched: n-grams, the first span (scrubbed), the action taken. */
  public static final String SILVER_CONTAMINATION = "silver/contamination";
  /** Fingerprints of the benchmark sets decontaminate checked silver/decontaminated against (a changed set needs --full). */
  public static final String BENCHMARK_SETS = "_sieve/benchmark_sets";
  public static final String GOLD_SHARD_MANIFEST = "gold/shard_manifest";
  public static final String GOLD_TRAINING_METRICS = "gold/training_metrics";
  public static final String INGEST_FILES = "_sieve/ingest_files";
  public static final String QUARANTINE = "_sieve/quarantine";
  public static final String STAGE_RUNS = "_sieve/stage_runs";

  /** Every table named in DESIGN.md, in data-flow order. */
  public static final List<String> TABLES = List.of(
      BRONZE_DOCUMENTS, SILVER_FILTERED, SILVER_REJECTED, SILVER_DEDUPED, SILVER_DUP_CLUSTERS,
      SILVER_MINHASH_INDEX, SILVER_LINE_COUNTS, SILVER_CLEAN, SILVER_DECONTAMINATED, SILVER_CONTAMINATION, GOLD_SHARD_MANIFEST,
      GOLD_TRAINING_METRICS, INGEST_FILES, QUARANTINE, BENCHMARK_SETS, STAGE_RUNS);

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
   * Whether a recorded path stands on its own: an absolute local path ({@code /data/x}) or a full
   * URI with a scheme ({@code s3a://b/x}, {@code file:/x}, {@code hdfs:///x}). Anything else is
   * relative to the lake root.
   */
  public static boolean isAbsolute(String path) {
    if (path.startsWith("/")) return true;
    int colon = path.indexOf(':');
    if (colon < 2) return false; // "C:" style drive letters and empty schemes are not URIs here
    for (int i = 0; i < colon; i++) {
      char c = path.charAt(i);
      boolean ok = Character.isLetter(c) || (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.'));
      if (!ok) return false;
    }
    return true;
  }

  /**
   * The full path of a path recorded in a table or a run folder (DESIGN.md, "Principles"):
   * absolute paths and URIs as they are, relative ones under this root. Lakes written before paths
   * were recorded relative to the lake hold absolute paths, which therefore still read.
   */
  public String resolve(String recorded) {
    Objects.requireNonNull(recorded, "recorded");
    if (isAbsolute(recorded)) return recorded;
    String r = recorded;
    while (r.startsWith("./")) r = r.substring(2);
    return root + "/" + r;
  }

  /**
   * The path to record for a file: relative to the lake root when it lies under it (whichever
   * way the root and the path are spelled: {@code ./lake}, an absolute path, {@code file:}), so
   * the record survives moving the lake; otherwise the path made independent of the working
   * directory (absolute for a local path, unchanged for a URI).
   */
  public String relativize(String path) {
    Objects.requireNonNull(path, "path");
    String p = canonical(path);
    String r = canonical(root);
    if (p.equals(r)) return ".";
    if (p.startsWith(r + "/")) return p.substring(r.length() + 1);
    return isAbsolute(path) ? path : p;
  }

  /** A local path or {@code file:} URI as a normalised absolute path; other URIs as they are. */
  private static String canonical(String path) {
    String p = path;
    if (p.startsWith("file://")) p = p.substring("file://".length());
    else if (p.startsWith("file:")) p = p.substring("file:".length());
    else if (isAbsolute(p) && !p.startsWith("/")) {
      while (p.endsWith("/") && !p.endsWith("://")) p = p.substring(0, p.length() - 1);
      return p;
    }
    if (p.isEmpty()) p = ".";
    return java.nio.file.Path.of(p).toAbsolutePath().normalize().toString();
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

  /**
   * The one-line usage error for a stage whose input table is absent, naming the command that
   * makes it: {@code no silver/filtered in lake ./lake: run 'sieve filter' first}.
   */
  public dev.sieve.core.config.ConfigException missing(String table, String producedBy) {
    return new dev.sieve.core.config.ConfigException("no " + table + " in lake " + root + ": run '" + producedBy + "' first");
  }

  @Override
  public String toString() { return root; }
}
