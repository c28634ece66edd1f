package dev.sieve.tokenize;

import java.nio.file.Path;
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
  public static final List<String> TIKTOKEN_ENCODINGS = List.of("cl100k_base", "o200k_base");

  private Tokenizers() {}

  public static TokenizerAdapter open(String spec) {
    return open(spec, null);
  }

  /** @param eotToken end-of-text token for {@code hf:} tokenizers ({@code null}: the defaults) */
  public static TokenizerAdapter open(String spec, String eotToken) {
    String err = checkSpec(spec);
    if (err != null) throw new IllegalArgumentException(err);
    int colon = spec.indexOf(':');
    String kind = spec.substring(0, colon);
    String arg = spec.substring(colon + 1);
    return kind.equals("tiktoken") ? TiktokenTokenizer.of(arg) : HfTokenizer.load(Path.of(arg), eotToken);
  }

  /** The syntax error in {@code spec}, or {@code null} when well formed (files are not checked). */
  public static String checkSpec(String spec) {
    String expected = "expected tiktoken:cl100k_base, tiktoken:o200k_base or hf:/path/to/tokenizer.json";
    if (spec == null || spec.indexOf(':') < 0) return "'" + spec + "': " + expected;
    int colon = spec.indexOf(':');
    String kind = spec.substring(0, colon);
    String arg = spec.substring(colon + 1);
    switch (kind) {
      case "tiktoken":
        return TIKTOKEN_ENCODINGS.contains(arg) ? null : "'" + spec + "': unknown tiktoken encoding (known: " + String.join(", ", TIKTOKEN_ENCODINGS) + ")";
      case "hf":
        return arg.isBlank() ? "'" + spec + "': no path after hf:" : null;
      default:
        return "'" + spec + "': " + expected;
    }
  }
}
