package dev.sieve.dedup;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.ConfigSection;
import java.util.List;

/**
 * The {@code dedup:} config section.
 *
 * <pre>
 * dedup:
 *   exact: true              # exact duplicates of the normalised text (ExactKey)
 *   near: true               # MinHash-LSH near duplicates
 *   threshold: 0.8           # Jaccard similarity that makes a near duplicate
 *   num_perm: 256            # MinHash signature length
 *   bands: 0                 # 0 = chosen from the threshold (LshParams.optimal); else set with rows
 *   rows: 0
 *   fp_weight: 0.05          # weights of the false-positive / false-negative areas in that choice:
 *   fn_weight: 0.95          # candidates are verified, so missing a pair costs more than checking one
 *   word_ngram: 5            # shingle size in tokens for space-separated text
 *   cjk_ngram: 5             # shingle size in characters for Chinese / Japanese text
 *   seed: 1                  # MinHash permutation seed
 *   verify: jaccard          # candidate pairs kept when: jaccard (true Jaccard of the texts ≥ threshold),
 *                            # signature (estimated from the signatures: no text read) or none
 *   keep: highest_quality    # highest_quality | longest | earliest | smallest_id
 *   checkpoint_dir: null     # reliable checkpoints of the components' rounds (e.g. hdfs:///tmp/sieve-cc);
 *                            # null = local checkpoints on the executors
 *   lines:                   # corpus-wide boilerplate lines, removed before MinHash (LineDedup)
 *     enabled: true
 *     min_docs: 23           # a line on at least this many documents ...
 *     min_domains: 1         # ... of at least this many distinct domains is boilerplate (at most 16)
 *     min_chars: 300         # a document that lost lines and has fewer characters left is rejected
 * </pre>
 *
 * <p>The threshold 0.8 and 5-gram shingles are the defaults of NeMo Curator's fuzzy dedup and
 * close to datatrove's (14 bands × 8 rows ≈ 0.72); 256 permutations keep the signature estimate's
 * standard deviation near the threshold at √(0.8·0.2/256) ≈ 0.025. With the default weights the
 * banding is 25 × 10: a pair at 0.8 becomes a candidate with probability 0.94, at 0.85 with 0.996,
 * at 0.5 with 0.02; verification by true Jaccard then removes every candidate below the threshold.
 * (Equal weights, text-dedup's default, give 17 × 15, which finds only 79% of pairs at 0.85.)
 */
public final class DedupSettings implements ConfigSection {
  public static final double DEFAULT_THRESHOLD = 0.8;
  public static final int DEFAULT_NUM_PERM = 256;
  public static final int DEFAULT_NGRAM = 5;
  public static final long DEFAULT_SEED = 1;
  public static final double DEFAULT_FP_WEIGHT = 0.05;
  public static final double DEFAULT_FN_WEIGHT = 0.95;
  public static final String DEFAULT_VERIFY = "jaccard";
  public static final List<String> VERIFY_MODES = List.of("signature", "jaccard", "none");
  public static final String DEFAULT_KEEP = KeepPolicy.HIGHEST_QUALITY.configName();

  public boolean exact = true;
  public boolean near = true;
  public double threshold = DEFAULT_THRESHOLD;
  public int numPerm = DEFAULT_NUM_PERM;
  public int bands = 0;
  public int rows = 0;
  public double fpWeight = DEFAULT_FP_WEIGHT;
  public double fnWeight = DEFAULT_FN_WEIGHT;
  public int wordNgram = DEFAULT_NGRAM;
  public int cjkNgram = DEFAULT_NGRAM;
  public long seed = DEFAULT_SEED;
  public String verify = DEFAULT_VERIFY;
  public String keep = DEFAULT_KEEP;
  /** Where connected-component rounds are checkpointed; null = Spark local checkpoints. */
  public String checkpointDir;
  public Lines lines = new Lines();

  /**
   * {@code dedup.lines}: line dedup, the first dedup phase. A line (normalised as CCNet does,
   * {@link LineHashes}) that occurs on at least {@link #minDocs} documents from at least
   * {@link #minDomains} distinct domains, counted over every document deduped so far, is removed
   * from the new documents before their MinHash signatures are made. Documents without a domain
   * count toward {@link #minDocs}; the domain condition applies only when {@link #minDomains} is
   * above 1, and then only documents with a domain count toward it.
   *
   * <p>Defaults. CCNet (Wenzek et al. 2019, {@code cc_net/dedup.py} and {@code mine.py}) removes
   * every occurrence of a line seen twice among the lines of {@code hash_in_mem = 50} of a
   * snapshot's {@code num_shards = 1600} shards, i.e. it compares each document with a random
   * 1/32 of the snapshot, with no domain condition. A line on k documents of the corpus is then
   * removed with probability 1 − (31/32)^(k−1): one half at k = 23, the count this class takes as
   * its corpus-wide equivalent ({@value #DEFAULT_MIN_DOCS}). Counting over the whole corpus with
   * CCNet's literal 2 would also strip every line of each exact or near duplicate before MinHash
   * could keep one of them. RefinedWeb (Penedo et al. 2023, §3.3: exact substring deduplication) removes
   * repeated spans without any domain condition either, so {@value #DEFAULT_MIN_DOMAINS} domain
   * suffices: the boilerplate one site repeats on its own pages is what this phase is for. CCNet
   * drops documents under {@code min_len = 300} characters after dedup:
   * {@value #DEFAULT_MIN_CHARS} here, applied only to documents that lost lines (shortness alone
   * is the filter's business).
   */
  public static final class Lines implements java.io.Serializable {
    public static final int DEFAULT_MIN_DOCS = 23;
    public static final int DEFAULT_MIN_DOMAINS = 1;
    public static final int DEFAULT_MIN_CHARS = 300;
    /** The most distinct domains a line's count keeps ({@code min_domains} may not exceed it). */
    public static final int MAX_DOMAINS = 16;

    public boolean enabled = true;
    public int minDocs = DEFAULT_MIN_DOCS;
    public int minDomains = DEFAULT_MIN_DOMAINS;
    public int minChars = DEFAULT_MIN_CHARS;
  }

  @Override
  public void validate(String prefix) {
    ConfigSection.checkRange(prefix + ".threshold", threshold, 0.01, 0.99);
    ConfigSection.checkRange(prefix + ".num_perm", numPerm, 1, 4096);
    ConfigSection.checkRange(prefix + ".word_ngram", wordNgram, 1, 64);
    ConfigSection.checkRange(prefix + ".cjk_ngram", cjkNgram, 1, 64);
    ConfigSection.checkRange(prefix + ".fp_weight", fpWeight, 0, 1);
    ConfigSection.checkRange(prefix + ".fn_weight", fnWeight, 0, 1);
    if (fpWeight + fnWeight <= 0) throw new ConfigException("bad value for '" + prefix + ".fn_weight': fp_weight and fn_weight cannot both be 0");
    ConfigSection.checkAtLeast(prefix + ".bands", bands, 0);
    ConfigSection.checkAtLeast(prefix + ".rows", rows, 0);
    if ((bands == 0) != (rows == 0)) {
      throw new ConfigException("bad value for '" + prefix + "." + (bands == 0 ? "bands" : "rows") + "': set both bands and rows, or neither");
    }
    if ((long) bands * rows > numPerm) {
      throw new ConfigException("bad value for '" + prefix + ".bands': " + bands + " x " + rows + " rows needs more than num_perm = " + numPerm);
    }
    if (!VERIFY_MODES.contains(verify)) {
      throw new ConfigException("bad value for '" + prefix + ".verify': '" + verify + "' (known: " + String.join(", ", VERIFY_MODES) + ")");
    }
    try {
      KeepPolicy.parse(keep);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bad value for '" + prefix + ".keep': " + e.getMessage());
    }
    ConfigSection.checkAtLeast(prefix + ".lines.min_docs", lines.minDocs, 2);
    ConfigSection.checkRange(prefix + ".lines.min_domains", lines.minDomains, 1, Lines.MAX_DOMAINS);
    ConfigSection.checkAtLeast(prefix + ".lines.min_chars", lines.minChars, 0);
    if (!exact && !near) throw new ConfigException("bad value for '" + prefix + ".near': exact and near cannot both be off");
  }

  /** The banding: explicit, or the optimum for the threshold. */
  public LshParams lshParams() {
    return bands > 0 ? new LshParams(bands, rows) : LshParams.optimal(threshold, numPerm, fpWeight, fnWeight);
  }

  public KeepPolicy keepPolicy() {
    return KeepPolicy.parse(keep);
  }

  /**
   * What the persisted band index's signatures and keys depend on: an index built with other
   * values cannot be compared with new documents.
   */
  public String indexParams() {
    LshParams p = lshParams();
    return "fnv-poly-mas32;num_perm=" + numPerm + ";seed=" + seed + ";word_ngram=" + wordNgram + ";cjk_ngram=" + cjkNgram
        + ";bands=" + p.bands() + ";rows=" + p.rows();
  }
}
