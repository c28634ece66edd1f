package dev.sieve.ingest;

import java.io.IOException;

/**
 * Plain text with one document per line (the CLUECorpus layout). Blank lines are skipped; a line
 * that is not valid UTF-8 is quarantined. The document key is the line's byte offset.
 */
public final class TextLineReader extends LineRecordReader {
  private final String corpus;

  public TextLineReader(RecordSource source, String corpus) throws IOException {
    super(source);
    this.corpus = corpus;
  }

  @Override
  protected IngestRecord parse(String line, byte[] raw, long offset) {
    if (line.isBlank()) return null;
    return new IngestRecord.Parsed(new RawDoc(corpus, null, "line@" + offset, "", null, line, null, source.name(), offset, null));
  }
}
