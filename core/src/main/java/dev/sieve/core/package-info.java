/**
 * The shared vocabulary of every stage, Spark-free: {@link dev.sieve.core.Doc} (the document row as a
 * value), {@link dev.sieve.core.DocIds} (content-independent ids), {@link dev.sieve.core.Lake} (table
 * names and paths, the missing-input error), {@link dev.sieve.core.RunIds} and
 * {@link dev.sieve.core.StageRunRecord} (a run's ledger as plain values), {@link dev.sieve.core.LocalFiles}
 * (bytes shipped to executors, written once to local disk). No stage logic and no Spark:
 * {@code SparkFreeRootPackagesTest} enforces the latter for every module's root package.
 */
package dev.sieve.core;
