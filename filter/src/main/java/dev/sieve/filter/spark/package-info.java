/**
 * Spark wiring of {@code filter} only: {@link dev.sieve.filter.spark.FilterJob} (reads bronze, writes
 * {@code silver/filtered} and {@code silver/rejected}, keeps the ledger) and
 * {@link dev.sieve.filter.spark.ApplyRules} (runs the {@link dev.sieve.filter.Judge} per partition).
 * Rules and thresholds live in {@code dev.sieve.filter}.
 */
package dev.sieve.filter.spark;
