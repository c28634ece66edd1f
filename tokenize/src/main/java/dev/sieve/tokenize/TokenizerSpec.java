package dev.sieve.tokenize;

import java.nio.file.Path;
import java.util.List;

/**
 * A tokenizer spec string parsed once: {@code tiktoken:<encoding>} (one of
 * {@link #TIKTOKEN_ENCODINGS}) or {@code hf:<path to tokenizer.json>}. Config checks
 * ({@link #problem}), {@link Tokenizers#open} and the Spark wiring that ships an {@code hf:} file
 * to the executors all read a spec through this type.
 *
 * @param kind {@link #TIKTOKEN} or {@link #HF}
 * @param arg the encoding name, or the tokenizer.json path as written
 */
public record TokenizerSpec(String kind, String arg) {
  public static final String TIKTOKEN = "tiktoken";
  public static final String HF = "hf";
  public static final List<String> TIKTOKEN_ENCODINGS = List.of("cl100k_base", "o200k_base");

  private static final String EXPECTED = "expected tiktoken:cl100k_base, tiktoken:o200k_base or hf:/path/to/tokenizer.json";

  /**
   * @throws IllegalArgumentException with {@link #problem}'s message when {@code spec} is malformed
   *     (the file of an {@code hf:} spec is not checked)
   */
  public static TokenizerSpec parse(String spec) {
    String err = problem(spec);
    if (err != null) throw new IllegalArgumentException(err);
    return split(spec);
  }

  /** {@code spec} cut at its first colon, unchecked; {@code null} when it has none. For rewriting paths in specs not yet validated. */
  public static TokenizerSpec split(String spec) {
    int colon = spec == null ? -1 : spec.indexOf(':');
    return colon < 0 ? null : new TokenizerSpec(spec.substring(0, colon), spec.substring(colon + 1));
  }

  /** The syntax error in {@code spec} ({@code 'x': expected ...}), or {@code null} when well formed. */
  public static String problem(String spec) {
    TokenizerSpec t = split(spec);
    if (t == null) return "'" + spec + "': " + EXPECTED;
    String arg = t.arg;
    return switch (t.kind) {
      case TIKTOKEN -> TIKTOKEN_ENCODINGS.contains(arg) ? null
          : "'" + spec + "': unknown tiktoken encoding (known: " + String.join(", ", TIKTOKEN_ENCODINGS) + ")";
      case HF -> arg.isBlank() ? "'" + spec + "': no path after hf:" : null;
      default -> "'" + spec + "': " + EXPECTED;
    };
  }

  /** Whether this names a tokenizer.json file ({@code hf:}). */
  public boolean isHf() {
    return kind.equals(HF);
  }

  /** The same kind with another argument (an {@code hf:} path moved or made relative). */
  public TokenizerSpec withArg(String newArg) {
    return new TokenizerSpec(kind, newArg);
  }

  /** Opens the tokenizer; {@code eotToken} as in {@link Tokenizers#open(String, String)}. */
  public TokenizerAdapter open(String eotToken) {
    return isHf() ? HfTokenizer.load(Path.of(arg), eotToken) : TiktokenTokenizer.of(arg);
  }

  /** The spec string: {@code kind:arg}. */
  @Override
  public String toString() {
    return kind + ":" + arg;
  }
}
