package dev.sieve.decontaminate;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.ConfigSection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code decontaminate:} config section. The stage is off while {@code benchmarks} is empty
 * (the default): {@code sieve pipeline} skips it and tokenize reads {@code silver/clean}; with
 * benchmarks, the pipeline runs it after pii and tokenize reads {@code silver/decontaminated}.
 *
 * <pre>
 * decontaminate:
 *   benchmarks:
 *     - {name: mmlu, path: /data/evals/mmlu_test.jsonl, fields: [question, choices], id: id}
 *     - {name: ceval, path: /data/evals/ceval_val.csv, fields: [question, A, B, C, D]}
 *     - {name: gsm8k, path: /data/evals/gsm8k_test.parquet, fields: [question, answer]}
 *   ngram: {@value BenchmarkIndex#DEFAULT_NGRAM}            # words per n-gram
 *   cjk_ngram: {@value BenchmarkIndex#DEFAULT_CJK_NGRAM}        # Han / kana characters per n-gram
 *   min_tokens: {@value BenchmarkIndex#DEFAULT_MIN_TOKENS}        # shorter benchmark texts are ignored; longer ones below n are matched whole
 *   policy: drop         # drop | cut
 *   min_tokens_after_cut: {@value #DEFAULT_MIN_TOKENS_AFTER_CUT} # cut: a document left with fewer units is dropped
 * </pre>
 */
public final class DecontaminateSettings implements ConfigSection {
  private static final long serialVersionUID = 1L;

  public static final String POLICY_DROP = "drop";
  public static final String POLICY_CUT = "cut";
  /** What happens to a contaminated document: {@code drop} (GPT-3, Dolma, NeMo Curator's default remove the document). */
  public static final String DEFAULT_POLICY = POLICY_DROP;
  /**
   * With {@code cut}, a document left with fewer units (words, CJK characters) is dropped: Gopher's
   * minimum document length of 50 words (Rae et al. 2021, appendix A.1.1), which filter applies too.
   */
  public static final int DEFAULT_MIN_TOKENS_AFTER_CUT = 50;
  public static final String FORMAT_AUTO = "auto";
  public static final List<String> FORMATS = List.of(FORMAT_AUTO, "jsonl", "csv", "parquet");

  public List<Benchmark> benchmarks = new ArrayList<>();
  public int ngram = BenchmarkIndex.DEFAULT_NGRAM;
  public int cjkNgram = BenchmarkIndex.DEFAULT_CJK_NGRAM;
  public int minTokens = BenchmarkIndex.DEFAULT_MIN_TOKENS;
  public String policy = DEFAULT_POLICY;
  public int minTokensAfterCut = DEFAULT_MIN_TOKENS_AFTER_CUT;

  /** One benchmark file. */
  public static final class Benchmark implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Its name in silver/contamination and in the stage's counts ({@code [a-z0-9_.-]+}). */
    public String name;
    /** A file (or, for Parquet, a folder of files): any Hadoop path. */
    public String path;
    /** The fields that hold text: strings, numbers, or lists/objects of them. */
    public List<String> fields = new ArrayList<>();
    /** The field holding the item id; null: the line / record / row number, from 1. */
    public String id;
    /** {@code auto} (from the file name), {@code jsonl}, {@code csv} or {@code parquet}. */
    public String format = FORMAT_AUTO;

    public Benchmark() {}

    public Benchmark(String name, String path, List<String> fields, String id) {
      this.name = name;
      this.path = path;
      this.fields = new ArrayList<>(fields);
      this.id = id;
    }
  }

  /** Whether the stage runs: any benchmark configured. */
  public boolean enabled() {
    return benchmarks != null && !benchmarks.isEmpty();
  }

  public boolean cut() {
    return POLICY_CUT.equals(policy);
  }

  /** An empty index builder with these n-gram settings. */
  public BenchmarkIndex.Builder indexBuilder() {
    return BenchmarkIndex.builder(ngram, cjkNgram, minTokens);
  }

  @Override
  public void validate(String prefix) {
    if (benchmarks == null) throw new ConfigException("bad value for '" + prefix + ".benchmarks': give a list of benchmark files");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < benchmarks.size(); i++) {
      String k = prefix + ".benchmarks[" + i + "]";
      Benchmark b = benchmarks.get(i);
      if (b == null) throw new ConfigException("bad value for '" + k + "': give name, path and fields");
      if (b.name == null || !b.name.matches("[a-z0-9_.-]+")) {
        throw new ConfigException("bad value for '" + k + ".name': " + b.name + " (lower-case letters, digits, _ . -)");
      }
      if (!names.add(b.name)) throw new ConfigException("bad value for '" + k + ".name': '" + b.name + "' listed twice");
      if (b.path == null || b.path.isBlank()) throw new ConfigException("bad value for '" + k + ".path': give the benchmark file");
      if (b.fields == null || b.fields.isEmpty() || b.fields.stream().anyMatch(f -> f == null || f.isBlank())) {
        throw new ConfigException("bad value for '" + k + ".fields': give the fields that hold the text, e.g. [question, choices]");
      }
      if (b.format == null || !FORMATS.contains(b.format)) {
        throw new ConfigException("bad value for '" + k + ".format': " + b.format + " (one of " + String.join(", ", FORMATS) + ")");
      }
    }
    ConfigSection.checkRange(prefix + ".ngram", ngram, 1, BenchmarkIndex.MAX_NGRAM);
    ConfigSection.checkRange(prefix + ".cjk_ngram", cjkNgram, 1, BenchmarkIndex.MAX_NGRAM);
    ConfigSection.checkRange(prefix + ".min_tokens", minTokens, 1, Math.min(ngram, cjkNgram));
    if (!POLICY_DROP.equals(policy) && !POLICY_CUT.equals(policy)) {
      throw new ConfigException("bad value for '" + prefix + ".policy': " + policy + " (drop or cut)");
    }
    ConfigSection.checkAtLeast(prefix + ".min_tokens_after_cut", minTokensAfterCut, 0);
  }
}
