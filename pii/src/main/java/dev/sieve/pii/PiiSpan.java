package dev.sieve.pii;

import dev.sieve.core.PiiKind;

/**
 * A detected span {@code [start, end)} (UTF-16 offsets into the document text) of one kind.
 * Holds offsets only, never the matched value, so printing a span cannot leak it.
 */
public record PiiSpan(int start, int end, PiiKind kind) {
  public PiiSpan {
    if (start < 0 || end <= start) throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    if (kind == null) throw new IllegalArgumentException("span without a kind");
  }

  public int length() {
    return end - start;
  }

  /** Whether the two spans share at least one character. */
  public boolean overlaps(PiiSpan o) {
    return start < o.end && o.start < end;
  }
}
