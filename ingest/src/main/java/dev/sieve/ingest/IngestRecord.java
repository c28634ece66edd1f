package dev.sieve.ingest;

/** What a reader yields for each record: a document, a quarantined bad record, or a skipped one. */
public sealed interface IngestRecord {
  /**
   * A readable document, with what the reader repaired in it ({@link Repairs}: kind → count; counts,
   * not drops).
   */
  record Parsed(RawDoc doc, java.util.Map<String, Long> repairs) implements IngestRecord {
    public Parsed {
      repairs = repairs == null ? java.util.Map.of() : java.util.Map.copyOf(repairs);
    }

    public Parsed(RawDoc doc) {
      this(doc, java.util.Map.of());
    }
  }

  /** A record that could not be read; it goes to {@code _sieve/quarantine}. */
  record Quarantined(QuarantineEntry entry) implements IngestRecord {}

  /** A record that is fine but not a document (an image response, an empty page); counted by reason. */
  record Skipped(String reason, String sourceFile, long offset) implements IngestRecord {}
}
