/**
 * The {@code dedup} stage's Spark-free, per-document core: {@link dev.sieve.dedup.Shingler} and
 * {@link dev.sieve.dedup.MinHasher} (signatures), {@link dev.sieve.dedup.LshParams} (bands and rows
 * from the threshold), {@link dev.sieve.dedup.Jaccard}, {@link dev.sieve.dedup.ExactKey} (normalised
 * exact-match key), {@link dev.sieve.dedup.KeepPolicy} (which copy survives) and the config section.
 * Plain JUnit tests; no Spark, no Delta.
 */
package dev.sieve.dedup;
