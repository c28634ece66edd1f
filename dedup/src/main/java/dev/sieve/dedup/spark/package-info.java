/**
 * Spark wiring of {@code dedup}, as named phases over one {@link dev.sieve.dedup.spark.DedupBatch}:
 * {@code Signatures} → {@code Buckets} → {@code Clusters} (verified by {@code VerifyJaccard},
 * joined by {@code ConnectedComponents}) → {@link dev.sieve.dedup.spark.DedupWriter}, with the
 * persistent {@link dev.sieve.dedup.spark.BandIndex} for incremental runs. Thin: the per-document
 * work (shingling, hashing, Jaccard) is in {@code dev.sieve.dedup}.
 */
package dev.sieve.dedup.spark;
