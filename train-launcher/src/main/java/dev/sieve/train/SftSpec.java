package dev.sieve.train;

import dev.sieve.core.config.ConfigException;

/**
 * A job spec's {@code sft} section: supervised fine-tuning on JSONL prompt/response pairs, or chats
 * ({@code messages}), with the loss on response tokens only ({@link SftBatches}); or, with
 * {@code shards: true}, on tokenize's SFT shards ({@link SftShardBatches}).
 *
 * <pre>
 * sft: {path: sft.jsonl, prompt_field: prompt, response_field: response}
 * sft: {shards: true}     # data.shards (and data.validation) are SFT shards, masks beside them
 * </pre>
 *
 * <p>{@link #check} fails with a {@link ConfigException} naming the key: {@code sft.path} missing
 * without {@code shards}, or given with it.
 */
public final class SftSpec {
  /** The JSONL file (lake-relative, absolute or a URI); null with {@code shards: true}. */
  public String path;
  /** {@code data.shards} / {@code data.validation} are SFT shards (conversations with a {@code .mask}; {@link SftShardBatches}) instead of {@code path}. */
  public boolean shards;
  public String promptField = "prompt";
  public String responseField = "response";

  /** Fails on a bad value of this section. */
  void check() {
    if (!shards && (path == null || path.isBlank())) throw new ConfigException("missing 'sft.path' (or 'sft.shards: true')");
    if (shards && path != null) throw new ConfigException("bad value for 'sft.path': not with 'sft.shards: true'");
  }
}
