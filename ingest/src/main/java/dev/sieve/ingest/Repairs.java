package dev.sieve.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * What was repaired in one record while reading it, per kind. Sieve's policy is the same for
 * every format: a record whose bytes or text need a repair (an invalid UTF-8 byte, a NUL, a
 * declared charset that does not decode the page) is repaired and kept, and the repair is counted
 * in the stage run as {@code repaired_<kind>}. A repair is never a drop: the ingest ledger
 * (records = documents + skipped + quarantined) does not see it. A BOM at the start of an input
 * is not a repair and is counted nowhere.
 */
public final class Repairs {
  /** A NUL character, replaced by a space (so the words on either side stay apart). */
  public static final String NUL = "repaired_nul";
  /** A C0/C1 control character other than NUL, tab and line ends, replaced by a space. */
  public static final String CONTROL = "repaired_control_char";
  /** A byte sequence that is not valid in the record's encoding, replaced by U+FFFD (one per maximal invalid subpart). */
  public static final String INVALID_UTF8 = "repaired_invalid_utf8";
  /** A byte sequence a legacy charset's decoder (GB18030, windows-1251…) could not decode, replaced by U+FFFD. */
  public static final String INVALID_BYTES = "repaired_invalid_bytes";
  /** A page whose declared charset did not decode it (replacement characters) and another charset did cleanly. */
  public static final String CHARSET_FALLBACK = "repaired_charset_fallback";

  /** Every kind above: what the ingest tally sums per run. */
  public static final java.util.List<String> KINDS = java.util.List.of(NUL, CONTROL, INVALID_UTF8, INVALID_BYTES, CHARSET_FALLBACK);

  private final TreeMap<String, Long> counts = new TreeMap<>();

  /** Adds {@code n} repairs of {@code kind} (one of {@link #KINDS}: else IllegalArgumentException, so no kind goes uncounted). */
  public Repairs add(String kind, long n) {
    if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown repair kind: " + kind);
    if (n > 0) counts.merge(kind, n, Long::sum);
    return this;
  }

  public Repairs addAll(Map<String, Long> other) {
    other.forEach(this::add);
    return this;
  }

  public long get(String kind) {
    return counts.getOrDefault(kind, 0L);
  }

  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** A copy, sorted by kind. */
  public Map<String, Long> asMap() {
    return new TreeMap<>(counts);
  }

  @Override
  public String toString() {
    return counts.toString();
  }
}
