/**
 * Spark wiring of {@code decontaminate} only: {@link dev.sieve.decontaminate.spark.DecontaminateJob}
 * (reads {@code silver/clean}, writes {@code silver/decontaminated}, {@code silver/contamination}
 * and {@code _sieve/benchmark_sets}, keeps the ledger), {@link dev.sieve.decontaminate.spark.Benchmarks}
 * (the benchmark files into an index on the driver) and {@code ScanDocs} (the scanner per
 * partition). Matching lives in {@code dev.sieve.decontaminate}.
 */
package dev.sieve.decontaminate.spark;
