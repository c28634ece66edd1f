/**
 * The {@code filter} stage's Spark-free, per-document core: the heuristic rules (Gopher, C4,
 * FineWeb, language, blocklist, Chinese quality), each a {@link dev.sieve.filter.FilterRule} with
 * thresholds from {@link dev.sieve.filter.FilterSettings}; {@link dev.sieve.filter.RuleChain} (first
 * rejecting rule wins), {@link dev.sieve.filter.QualityClassifier} (fastText) and
 * {@link dev.sieve.filter.Judge}, which turns one document into one
 * {@link dev.sieve.filter.Judgement}. No Spark, no Delta.
 */
package dev.sieve.filter;
