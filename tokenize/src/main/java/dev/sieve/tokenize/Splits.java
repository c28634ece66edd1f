package dev.sieve.tokenize;

/**
 * Train/validation split by a hash of {@code doc_id}: a document is in validation when {@link
 * DocHash#unit}{@code ("split", seed, doc_id) < validationFraction}. Deterministic, independent of
 * partitioning and of the other documents, and stable as the corpus grows: a document never moves
 * between splits on a rerun with the same seed and fraction.
 */
public final class Splits implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";

  private final double validationFraction;
  private final long seed;

  public Splits(double validationFraction, long seed) {
    if (!(validationFraction >= 0 && validationFraction <= 1)) throw new IllegalArgumentException("validation fraction must be in [0, 1]: " + validationFraction);
    this.validationFraction = validationFraction;
    this.seed = seed;
  }

  public boolean isValidation(String docId) {
    return validationFraction > 0 && DocHash.unit("split", seed, docId) < validationFraction;
  }

  /** {@link #TRAIN} or {@link #VALIDATION}. */
  public String split(String docId) {
    return isValidation(docId) ? VALIDATION : TRAIN;
  }
}
