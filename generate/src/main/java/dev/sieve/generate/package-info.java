/**
 * {@code sieve generate}: a synthetic corpus with known answers. {@link dev.sieve.generate.CorpusGenerator}
 * writes WARC, WET, JSONL and WuDao files plus {@code _ground-truth.jsonl.gz} (duplicates, low-quality
 * kinds, planted PII, languages) and {@code _manifest.json}; {@link dev.sieve.generate.GroundTruth} and
 * {@link dev.sieve.generate.GeneratedCorpus} read a corpus back for the tests and benchmarks of every
 * stage. Deterministic per seed; Spark-free; never reads a lake.
 */
package dev.sieve.generate;
