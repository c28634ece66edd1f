/**
 * Spark wiring of {@code pii} only: {@link dev.sieve.pii.spark.PiiJob} (reads {@code silver/deduped},
 * writes {@code silver/clean} and quarantines detector failures, keeps the ledger) and
 * {@link dev.sieve.pii.spark.ScrubDocs} (the scrubber per partition). Detection lives in
 * {@code dev.sieve.pii}.
 */
package dev.sieve.pii.spark;
