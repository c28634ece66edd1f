package dev.sieve.tokenize;

/**
 * One tokenizer behind the {@code tokenize} stage: turns document text into token ids and back.
 *
 * <p>{@link #encode} treats its input as ordinary text: a document that happens to contain the
 * literal characters of a special token is encoded as text where the implementation allows it
 * (see each class). Implementations are safe to use from one thread at a time; open one per
 * Spark partition or per thread.
 */
public interface TokenizerAdapter extends AutoCloseable {
  /** A short name for manifests and logs, e.g. {@code tiktoken:cl100k_base}. */
  String name();

  /** What identifies the exact vocabulary and rules, e.g. a library version or a file hash. */
  String version();

  /** Number of token ids: every id is in {@code [0, vocabSize())}. */
  int vocabSize();

  /** The end-of-text token appended to every document (Megatron's {@code --append-eod}). */
  int eotId();

  int[] encode(String text);

  String decode(int[] tokens);

  /** Releases native resources; a no-op for pure-Java tokenizers. */
  @Override
  default void close() {}
}
