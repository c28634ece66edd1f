/**
 * Spark wiring of {@code tokenize} only: {@link dev.sieve.tokenize.spark.TokenizeJob} (tokenize,
 * assign shards, write shards and {@code gold/shard_manifest}, keep the ledger), its partition
 * functions ({@code TokenizeDocs}, {@code AssignShards}, {@code WriteShards}), the mixture, shard
 * verification and {@link dev.sieve.tokenize.spark.TokenizerTrainJob} ({@code sieve tokenizer train}).
 * Tokenizers, shard formats and the shard plan live in {@code dev.sieve.tokenize}.
 */
package dev.sieve.tokenize.spark;
