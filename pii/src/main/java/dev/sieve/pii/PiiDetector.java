package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the spans of one kind of personal data in a document. Implementations are stateless
 * after construction (patterns compiled once), thread-safe and serializable, so one instance
 * serves a whole Spark partition. Detectors may report overlapping spans; {@link PiiScrubber}
 * resolves overlaps across detectors. No detector puts a matched value into an exception,
 * a log line or a {@code toString}.
 */
public interface PiiDetector extends java.io.Serializable {
  /** The kind of every span this detector reports. */
  PiiKind kind();

  /**
   * Appends the spans found in the document to {@code out}: detectors scan {@link PiiInput#folded()}
   * and report through {@link PiiInput#span}, so spans are offsets into {@code doc.text()}.
   */
  void find(PiiInput doc, List<PiiSpan> out);

  /** Convenience: the spans in {@code text} with no language or domain hint. */
  default List<PiiSpan> find(String text) {
    return find(new PiiInput(text, null, null));
  }

  /** Convenience: the spans in one document. */
  default List<PiiSpan> find(PiiInput doc) {
    List<PiiSpan> out = new ArrayList<>();
    find(doc, out);
    return out;
  }
}
