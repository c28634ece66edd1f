package dev.sieve.filter;

import java.util.Map;

/**
 * What {@link Judge} decided for one document: the columns the filter adds to {@code
 * silver/filtered} and {@code silver/rejected} (DESIGN.md, "Tables").
 *
 * @param kept whether the document goes on to {@code silver/filtered}
 * @param stage {@value Judge#STAGE_COARSE} (a rule of the {@link RuleChain}) or {@value
 *     Judge#STAGE_QUALITY} (the classifier) for a rejected document; null when kept
 * @param rule the rejecting rule's name; null when kept
 * @param value the value the rule measured; null when kept
 * @param threshold the threshold that value crossed; null when kept
 * @param qualityScore the classifier's score in [0, 1] when the classifier ran (the document
 *     passed the coarse rules and a model is configured), else null
 * @param signals a few measured values kept with every document: {@code words}, {@code lines},
 *     {@code cjk_chars} (counts, as doubles), in that order
 */
public record Judgement(boolean kept, String stage, String rule, Double value, Double threshold, Double qualityScore,
    Map<String, Double> signals) {}
