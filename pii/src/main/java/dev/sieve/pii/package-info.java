/**
 * The {@code pii} stage's Spark-free, per-document core: one {@link dev.sieve.pii.PiiDetector} per
 * {@link dev.sieve.core.PiiKind} (e-mail, phone, IP, national id / IBAN, card, secret), each with the
 * checks that keep false positives down, and {@link dev.sieve.pii.PiiScrubber}, which resolves
 * overlaps and replaces spans with tags. No Spark, no Delta.
 */
package dev.sieve.pii;
