/**
 * Spark wiring of {@code ingest} only: listing inputs on any Hadoop filesystem
 * ({@link dev.sieve.ingest.spark.InputFiles}), reading one file per task
 * ({@link dev.sieve.ingest.spark.ReadFile} over {@code HadoopSource}), Parquet inputs, duplicate-key
 * checks and {@link dev.sieve.ingest.spark.IngestJob} (bronze, quarantine, ingest_files, ledger).
 * Parsing and repair live in {@code dev.sieve.ingest}.
 */
package dev.sieve.ingest.spark;
