/**
 * The {@code tokenize} stage's Spark-free core: tokenizer adapters ({@link
 * dev.sieve.tokenize.TokenizerAdapter}), byte-level BPE training ({@link
 * dev.sieve.tokenize.BpeTrainer}), Megatron indexed shards ({@link
 * dev.sieve.tokenize.IndexedDatasetWriter}, {@link dev.sieve.tokenize.IndexedDataset}), sample
 * packing ({@link dev.sieve.tokenize.SamplePacker}), mixture weights and train/validation splits.
 */
package dev.sieve.tokenize;
