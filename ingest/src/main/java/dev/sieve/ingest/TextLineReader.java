package dev.sieve.ingest;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.NoSuchElementException;

/**
 * Plain text with one document per line (the CLUECorpus layout). Blank lines are skipped; a line
 * that is not valid UTF-8 is quarantined. The document key is the line's byte offset.
 */
public final class TextLineReader implements RecordReader {
  private final RecordSource source;
  private final String corpus;
  private final ByteLines lines;
  private IngestRecord next;
  private boolean done;

  public TextLineReader(RecordSource source, String corpus) throws IOException {
    this.source = source;
    this.corpus = corpus;
    this.lines = new ByteLines(source.open(0));
  }

  @Override
  public boolean hasNext() {
    while (next == null && !done) {
      try {
        byte[] line = lines.next();
        if (line == null) {
          done = true;
          break;
        }
        long offset = lines.lineStart();
        try {
          String s = lines.decode(line);
          if (s.isBlank()) continue;
          next = new IngestRecord.Parsed(new RawDoc(corpus, null, "line@" + offset, "", null, s, null, source.name(), offset, null));
        } catch (CharacterCodingException e) {
          next = new IngestRecord.Quarantined(new QuarantineEntry(source.name(), offset, QuarantineEntry.INVALID_UTF8,
              "line is not valid UTF-8", QuarantineEntry.snippet(line, 0, QuarantineEntry.SNIPPET_CHARS)));
        }
      } catch (IOException e) {
        next = new IngestRecord.Quarantined(new QuarantineEntry(source.name(), lines.lineStart(), QuarantineEntry.TRUNCATED,
            e.getClass().getSimpleName() + ": " + e.getMessage(), ""));
        done = true;
      }
    }
    return next != null;
  }

  @Override
  public IngestRecord next() {
    if (!hasNext()) throw new NoSuchElementException();
    IngestRecord r = next;
    next = null;
    return r;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
