package dev.sieve.filter;

/**
 * One coarse filtering rule. Implementations are small final classes whose thresholds are
 * constructor arguments with documented defaults citing their source; they never see Spark.
 */
public interface FilterRule {
  /** Rule family name, e.g. {@code gopher_quality}; rejections carry a more specific reason. */
  String name();

  Verdict apply(DocText doc);
}
