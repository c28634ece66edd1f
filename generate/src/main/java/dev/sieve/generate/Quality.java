package dev.sieve.generate;

/**
 * What a generated document is meant to be, for the ground truth: a good document, or one of the
 * low-quality kinds that the coarse filters (Gopher, C4, FineWeb, Yuan 1.0) and the quality
 * classifier should catch.
 */
public enum Quality {
  GOOD,
  /** Shouty advertising with products and prices. */
  SPAM,
  /** A page that is only a list of links / headlines. */
  LINK_LIST,
  /** Lorem ipsum placeholder text. */
  LOREM_IPSUM,
  /** One line repeated many times (Gopher's duplicate-line rules). */
  REPEATED_LINES,
  /** A page with navigation, cookie banner and footer but no main text (WARC only). */
  BOILERPLATE_ONLY,
  /** Text in another language than the one the page or corpus declares. */
  WRONG_LANGUAGE,
  /** One or two sentences (below Gopher's 50-word minimum). */
  TOO_SHORT;

  /** Lower-case name used in the ground truth, e.g. {@code link_list}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
