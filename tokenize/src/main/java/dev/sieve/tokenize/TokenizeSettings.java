package dev.sieve.tokenize;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.ConfigSection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code tokenize:} config section.
 *
 * <pre>
 * tokenize:
 *   tokenizer: tiktoken:cl100k_base   # tiktoken:cl100k_base | tiktoken:o200k_base | hf:/path/tokenizer.json
 *                                     # | bpe (train a byte-level BPE on the corpus, see bpe:)
 *   eot_token: ""                     # hf/bpe end-of-text token; "" = &lt;|endoftext|&gt;, else &lt;/s&gt;
 *   dataset: default                  # gold/shards/&lt;dataset&gt;/
 *   shard_tokens: {@value #DEFAULT_SHARD_TOKENS}           # start a new .bin/.idx after this many tokens (0 = no limit)
 *   shard_bytes: {@value #DEFAULT_SHARD_BYTES}                    # ... or after this many .bin bytes (0 = no limit); one must be set
 *   validation_fraction: {@value #DEFAULT_VALIDATION_FRACTION}        # documents hashed into the validation split
 *   seed: {@value #DEFAULT_SEED}                        # split, mixture draws and BPE sampling
 *   mixture:
 *     mode: natural                   # natural (every doc once) | temperature (p ∝ n^alpha) | weights
 *     by: language                    # group documents by language | source | source_language
 *     alpha: {@value #DEFAULT_ALPHA}                      # mT5 / XLM-R sampling exponent (mode: temperature)
 *     weights: {}                     # group → weight (mode: weights), normalised
 *     max_repeats: {@value #DEFAULT_MAX_REPEATS}                  # cap on copies of one document (0 = no cap)
 *   select: all                       # all | conversations (an SFT dataset) | plain (a pretraining dataset): which documents
 *   chat:                             # conversations (instruction records) become SFT sequences with a loss mask (ChatTemplate)
 *     template: chatml                # chatml | custom (then turn_start, turn_end, separator)
 *     turn_start: null                # custom: opens a turn, {role} = system | user | assistant
 *     turn_end: null                  # custom: closes a turn (trained on after an assistant's content)
 *     separator: ""                   # custom: between turns
 *   bpe:
 *     vocab_size: {@value #DEFAULT_BPE_VOCAB_SIZE}               # bytes + merges + special tokens
 *     special_tokens: ["&lt;|endoftext|&gt;"]
 *     min_frequency: {@value #DEFAULT_MIN_FREQUENCY}                # pairs seen fewer times are never merged
 *     min_chunk_count: {@value #DEFAULT_MIN_CHUNK_COUNT}              # chunks counted fewer times are dropped before training
 * </pre>
 *
 * <p>Shards of 100 M tokens are 200 MB in u16 or 400 MB in i32, the order of Megatron-LM and
 * datatrove shard sizes; a 0.5% validation split matches Megatron's usual {@code 995,5,0} style
 * splits; seed {@value #DEFAULT_SEED} is Megatron-LM's default seed. Vocabulary {@value #DEFAULT_BPE_VOCAB_SIZE} is LLaMA's and keeps tokens
 * in u16 shards.
 */
public final class TokenizeSettings implements ConfigSection {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_TOKENIZER = "tiktoken:cl100k_base";
  /** The {@code tokenizer} value that trains a BPE with the {@code bpe} settings. */
  public static final String TRAIN_BPE = "bpe";
  public static final String DEFAULT_EOT_TOKEN = "";
  public static final String DEFAULT_DATASET = "default";
  public static final long DEFAULT_SHARD_TOKENS = 100_000_000L;
  public static final long DEFAULT_SHARD_BYTES = 0;
  public static final double DEFAULT_VALIDATION_FRACTION = 0.005;
  public static final long DEFAULT_SEED = 1234;
  public static final String DEFAULT_MIXTURE_MODE = "natural";
  public static final List<String> MIXTURE_MODES = List.of("natural", "temperature", "weights");
  public static final String DEFAULT_MIXTURE_BY = "language";
  public static final List<String> MIXTURE_GROUPINGS = List.of("language", "source", "source_language");
  public static final double DEFAULT_ALPHA = MixtureWeights.MT5_ALPHA;
  public static final double DEFAULT_MAX_REPEATS = 0;
  public static final int DEFAULT_BPE_VOCAB_SIZE = BpeTrainer.DEFAULT_VOCAB_SIZE;
  public static final List<String> DEFAULT_SPECIAL_TOKENS = BpeTrainer.DEFAULT_SPECIAL_TOKENS;
  public static final long DEFAULT_MIN_FREQUENCY = BpeTrainer.DEFAULT_MIN_FREQUENCY;
  public static final long DEFAULT_MIN_CHUNK_COUNT = 1;

  private static final Pattern DATASET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public String tokenizer = DEFAULT_TOKENIZER;
  public String eotToken = DEFAULT_EOT_TOKEN;
  public String dataset = DEFAULT_DATASET;
  public long shardTokens = DEFAULT_SHARD_TOKENS;
  public long shardBytes = DEFAULT_SHARD_BYTES;
  public double validationFraction = DEFAULT_VALIDATION_FRACTION;
  public long seed = DEFAULT_SEED;
  public Mixture mixture = new Mixture();
  public Bpe bpe = new Bpe();
  public Chat chat = new Chat();
  /** Which documents a dataset takes: {@code all}, {@code conversations} or {@code plain}; the others are counted {@code not_selected}. */
  public String select = DEFAULT_SELECT;
  public static final String DEFAULT_SELECT = "all";
  public static final List<String> SELECTIONS = List.of("all", "conversations", "plain");

  /** The chat template of conversations ({@link ChatTemplate}). */
  public static final class Chat implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public String template = ChatTemplate.CHATML.name();
    public String turnStart;
    public String turnEnd;
    public String separator = "";
  }

  /** The configured chat template (valid after {@link #validate}). */
  public ChatTemplate chatTemplate() {
    ChatTemplate t = ChatTemplate.builtIn(chat.template);
    return t != null ? t : new ChatTemplate("custom", chat.turnStart, chat.turnEnd, chat.separator);
  }

  /** Which documents are repeated or dropped to reach a token mix ({@link MixtureWeights}). */
  public static final class Mixture implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public String mode = DEFAULT_MIXTURE_MODE;
    public String by = DEFAULT_MIXTURE_BY;
    public double alpha = DEFAULT_ALPHA;
    public Map<String, Double> weights = new LinkedHashMap<>();
    public double maxRepeats = DEFAULT_MAX_REPEATS;
  }

  /** {@link BpeTrainer} settings, used when {@code tokenizer: bpe}. */
  public static final class Bpe implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public int vocabSize = DEFAULT_BPE_VOCAB_SIZE;
    public List<String> specialTokens = new ArrayList<>(DEFAULT_SPECIAL_TOKENS);
    public long minFrequency = DEFAULT_MIN_FREQUENCY;
    public long minChunkCount = DEFAULT_MIN_CHUNK_COUNT;
  }

  @Override
  public void validate(String prefix) {
    if (tokenizer == null || !tokenizer.equals(TRAIN_BPE)) {
      String err = Tokenizers.checkSpec(tokenizer);
      if (err != null) throw new ConfigException("bad value for '" + prefix + ".tokenizer': " + err + ", or " + TRAIN_BPE);
    }
    if (eotToken == null) throw new ConfigException("bad value for '" + prefix + ".eot_token': give a token or \"\"");
    if (dataset == null || !DATASET_NAME.matcher(dataset).matches()) {
      throw new ConfigException("bad value for '" + prefix + ".dataset': '" + dataset + "' (letters, digits, '.', '_', '-')");
    }
    ConfigSection.checkAtLeast(prefix + ".shard_tokens", shardTokens, 0);
    ConfigSection.checkAtLeast(prefix + ".shard_bytes", shardBytes, 0);
    if (shardTokens == 0 && shardBytes == 0) {
      throw new ConfigException("bad value for '" + prefix + ".shard_tokens': set shard_tokens or shard_bytes above 0");
    }
    ConfigSection.checkRange(prefix + ".validation_fraction", validationFraction, 0, 0.5);
    if (mixture == null) throw new ConfigException("bad value for '" + prefix + ".mixture': a section must be a mapping of keys");
    if (!MIXTURE_MODES.contains(mixture.mode)) {
      throw new ConfigException("bad value for '" + prefix + ".mixture.mode': '" + mixture.mode + "' (known: " + String.join(", ", MIXTURE_MODES) + ")");
    }
    if (!MIXTURE_GROUPINGS.contains(mixture.by)) {
      throw new ConfigException("bad value for '" + prefix + ".mixture.by': '" + mixture.by + "' (known: " + String.join(", ", MIXTURE_GROUPINGS) + ")");
    }
    ConfigSection.checkRange(prefix + ".mixture.alpha", mixture.alpha, 0, 1);
    ConfigSection.checkRange(prefix + ".mixture.max_repeats", mixture.maxRepeats, 0, 1000);
    if (mixture.weights == null) throw new ConfigException("bad value for '" + prefix + ".mixture.weights': give a map of group to weight");
    double sum = 0;
    for (Map.Entry<String, Double> e : mixture.weights.entrySet()) {
      Double w = e.getValue();
      if (w == null || !(w >= 0) || Double.isInfinite(w)) {
        throw new ConfigException("bad value for '" + prefix + ".mixture.weights." + e.getKey() + "': " + w + " (must be a number >= 0)");
      }
      sum += w;
    }
    if (mixture.mode.equals("weights") && !(sum > 0)) {
      throw new ConfigException("bad value for '" + prefix + ".mixture.weights': mode 'weights' needs at least one positive weight");
    }
    if (!SELECTIONS.contains(select)) {
      throw new ConfigException("bad value for '" + prefix + ".select': '" + select + "' (known: " + String.join(", ", SELECTIONS) + ")");
    }
    if (chat == null) throw new ConfigException("bad value for '" + prefix + ".chat': a section must be a mapping of keys");
    if (ChatTemplate.builtIn(chat.template) == null && !"custom".equals(chat.template)) {
      throw new ConfigException("bad value for '" + prefix + ".chat.template': '" + chat.template + "' (chatml, custom)");
    }
    if ("custom".equals(chat.template)) {
      if (chat.turnStart == null) throw new ConfigException("bad value for '" + prefix + ".chat.turn_start': template custom needs it");
      if (chat.turnEnd == null || chat.turnEnd.isEmpty()) {
        throw new ConfigException("bad value for '" + prefix + ".chat.turn_end': template custom needs a non-empty one");
      }
      if (chat.separator == null) throw new ConfigException("bad value for '" + prefix + ".chat.separator': give one or \"\"");
    } else if (chat.turnStart != null || chat.turnEnd != null) {
      throw new ConfigException("bad value for '" + prefix + ".chat.turn_start': only with template custom");
    }
    if (bpe == null) throw new ConfigException("bad value for '" + prefix + ".bpe': a section must be a mapping of keys");
    if (bpe.specialTokens == null || bpe.specialTokens.isEmpty()) {
      throw new ConfigException("bad value for '" + prefix + ".bpe.special_tokens': give at least the end-of-text token");
    }
    if (bpe.specialTokens.stream().anyMatch(t -> t == null || t.isEmpty())) {
      throw new ConfigException("bad value for '" + prefix + ".bpe.special_tokens': tokens must not be empty");
    }
    if (new LinkedHashSet<>(bpe.specialTokens).size() != bpe.specialTokens.size()) {
      throw new ConfigException("bad value for '" + prefix + ".bpe.special_tokens': a token is listed twice");
    }
    ConfigSection.checkRange(prefix + ".bpe.vocab_size", bpe.vocabSize, 256 + bpe.specialTokens.size(), 1 << 24);
    ConfigSection.checkAtLeast(prefix + ".bpe.min_frequency", bpe.minFrequency, 1);
    ConfigSection.checkAtLeast(prefix + ".bpe.min_chunk_count", bpe.minChunkCount, 1);
    if (TRAIN_BPE.equals(tokenizer)) {
      List<String> eots = eotToken.isEmpty() ? HfTokenizer.DEFAULT_EOT_TOKENS : List.of(eotToken);
      if (eots.stream().noneMatch(bpe.specialTokens::contains)) {
        throw new ConfigException("bad value for '" + prefix + ".bpe.special_tokens': " + bpe.specialTokens + " has no end-of-text token " + eots);
      }
    }
  }

  /** A trainer for the {@code bpe} settings. */
  public BpeTrainer bpeTrainer() {
    return new BpeTrainer(bpe.vocabSize, bpe.specialTokens, bpe.minFrequency);
  }

  public Splits splits() {
    return new Splits(validationFraction, seed);
  }

  /** The mixture over groups of the given sizes (tokens or documents), or {@code null} for mode natural. */
  public MixtureWeights mixtureWeights(Map<String, Long> groupSizes) {
    switch (mixture.mode) {
      case "temperature":
        return MixtureWeights.temperature(groupSizes, mixture.alpha, mixture.maxRepeats, seed);
      case "weights":
        return MixtureWeights.explicit(groupSizes, mixture.weights, mixture.maxRepeats, seed);
      default:
        return null;
    }
  }
}
