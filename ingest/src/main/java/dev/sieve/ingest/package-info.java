/**
 * The {@code ingest} stage's Spark-free, per-record core: readers for each input format (WARC, WET,
 * JSONL, WuDao JSON, plain text) behind {@link dev.sieve.ingest.RecordReader}, lenient parsing and
 * input repair (charset sniffing, UTF-8 repair, broken HTTP/WARC headers), HTML extraction, text
 * normalisation, language identification (fastText) and {@link dev.sieve.ingest.DocAssembler}, which
 * makes one {@link dev.sieve.core.Doc} or one quarantine entry per record. No Spark, no Delta.
 */
package dev.sieve.ingest;
