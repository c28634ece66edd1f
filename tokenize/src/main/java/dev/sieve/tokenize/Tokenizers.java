package dev.sieve.tokenize;

import java.util.List;

/**
 * Opens a tokenizer from its spec string:
 *
 * <ul>
 *   <li>{@code tiktoken:cl100k_base}, {@code tiktoken:o200k_base}: {@link TiktokenTokenizer};
 *   <li>{@code hf:/path/to/tokenizer.json}: {@link HfTokenizer} (e.g. one written by {@link
 *       BpeTrainer}).
 * </ul>
 */
public final class Tokenizers {
  public static final List<String> TIKTOKEN_ENCODINGS = TokenizerSpec.TIKTOKEN_ENCODINGS;

  private Tokenizers() {}

  public static TokenizerAdapter open(String spec) {
    return open(spec, null);
  }

  /**
   * @param eotToken end-of-text token for {@code hf:} tokenizers ({@code null}: the defaults)
   * @throws IllegalArgumentException when the spec is malformed ({@link TokenizerSpec#problem})
   */
  public static TokenizerAdapter open(String spec, String eotToken) {
    return TokenizerSpec.parse(spec).open(eotToken);
  }

  /** The syntax error in {@code spec}, or {@code null} when well formed (files are not checked); see {@link TokenizerSpec#problem}. */
  public static String checkSpec(String spec) {
    return TokenizerSpec.problem(spec);
  }
}
