/**
 * The {@code decontaminate} stage's Spark-free core: {@link dev.sieve.decontaminate.Tokens}
 * (NFKC, lower case, words and CJK characters with their offsets in the original text),
 * {@link dev.sieve.decontaminate.BenchmarkIndex} (hashed n-grams of the benchmark items, read by
 * {@link dev.sieve.decontaminate.BenchmarkReader}) and {@link dev.sieve.decontaminate.Decontaminator}
 * (one pass per document, matches with their spans, the {@code cut} policy). No Spark, no Delta.
 */
package dev.sieve.decontaminate;
