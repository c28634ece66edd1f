package dev.sieve.ingest;

import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * Base of the one-record-per-line readers (JSONL, plain text): splits the file into lines with
 * their byte offsets, drops a UTF-8 BOM at the start of the file, decodes each line as UTF-8 with
 * every invalid sequence replaced by U+FFFD and counted as {@link Repairs#INVALID_UTF8} on the
 * record (the same repair policy as WARC/WET), and hands the line to {@link #parse}. A read error ends
 * the file with one {@link QuarantineEntry#TRUNCATED} entry. Every line is one framed record and
 * yields exactly one outcome (blank lines are skipped with a reason, never passed over).
 */
abstract class LineRecordReader implements RecordReader {
  protected final RecordSource source;
  private final ByteLines lines;
  private IngestRecord next;
  private boolean done;
  private long framed;

  LineRecordReader(RecordSource source) throws IOException {
    this.source = source;
    this.lines = new ByteLines(source.open(0));
  }

  /** The record for one decoded line (never null: a line that is no document is a {@link IngestRecord.Skipped}). */
  protected abstract IngestRecord parse(String line, byte[] raw, long offset);

  @Override
  public final boolean hasNext() {
    while (next == null && !done) {
      try {
        byte[] raw = lines.next();
        if (raw == null) {
          done = true;
          break;
        }
        long offset = lines.lineStart();
        framed++;
        // A UTF-8 BOM at the start of the file is no text (counted nowhere). Invalid UTF-8 is
        // repaired, not quarantined: each bad sequence becomes U+FFFD and is counted on the record.
        int skip = offset == 0 && raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetSniffer.Counted decoded = CharsetSniffer.decodeCounting(raw, skip, java.nio.charset.StandardCharsets.UTF_8);
        next = parse(decoded.text(), raw, offset);
        if (decoded.errors() > 0 && next instanceof IngestRecord.Parsed p) {
          next = new IngestRecord.Parsed(p.doc(), new Repairs().addAll(p.repairs()).add(Repairs.INVALID_UTF8, decoded.errors()).asMap());
        }
        if (next == null) throw new IllegalStateException(getClass().getSimpleName() + " yielded nothing for the line at " + offset);
      } catch (IOException e) {
        framed++;
        next = new IngestRecord.Quarantined(new QuarantineEntry(source.name(), lines.lineStart(), QuarantineEntry.TRUNCATED,
            e.getClass().getSimpleName() + ": " + e.getMessage(), ""));
        done = true;
      }
    }
    return next != null;
  }

  @Override
  public final long framed() {
    return framed;
  }

  @Override
  public final IngestRecord next() {
    if (!hasNext()) throw new NoSuchElementException();
    IngestRecord r = next;
    next = null;
    return r;
  }

  protected final IngestRecord quarantine(long offset, String kind, String message, byte[] raw) {
    return new IngestRecord.Quarantined(new QuarantineEntry(source.name(), offset, kind, message,
        QuarantineEntry.snippet(raw, 0, QuarantineEntry.SNIPPET_CHARS)));
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
