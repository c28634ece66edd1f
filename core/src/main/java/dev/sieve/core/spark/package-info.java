/**
 * Spark wiring every stage shares: {@link dev.sieve.core.spark.Stage#run} (lock, ledger, stage_runs
 * row) and {@link dev.sieve.core.spark.StageRun} (in/out/dropped/gained, {@code reconcile()}),
 * {@link dev.sieve.core.spark.LakeLock}, {@link dev.sieve.core.spark.DeltaTables} (exists, version,
 * overwrite-or-MERGE), {@link dev.sieve.core.spark.DeltaIncrement} (the rows a table gained since a
 * version, for stages that read only what is new), {@link dev.sieve.core.spark.DocRows} (Doc ⇄ Row),
 * {@link dev.sieve.core.spark.Partitions} (the partition-mapping iterator), session setup and the
 * progress line. No per-document logic and nothing specific to one stage.
 */
package dev.sieve.core.spark;
