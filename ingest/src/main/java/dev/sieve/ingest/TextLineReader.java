package dev.sieve.ingest;

import java.io.IOException;

/**
 * Plain text with one document per line (the CLUECorpus layout). Blank lines are skipped
 * ({@code blank_line}); a line that is not valid UTF-8 is quarantined. A line has no key of its
 * own: its identity is its file and byte offset (see {@link DocAssembler#docId}), so line 0 of
 * two files are two documents.
 */
public final class TextLineReader extends LineRecordReader {
  private final String corpus;

  public TextLineReader(RecordSource source, String corpus) throws IOException {
    super(source);
    this.corpus = corpus;
  }

  @Override
  protected IngestRecord parse(String line, byte[] raw, long offset) {
    if (line.isBlank()) return new IngestRecord.Skipped("blank_line", source.name(), offset);
    return new IngestRecord.Parsed(new RawDoc(corpus, null, null, "", null, line, null, source.name(), offset, null));
  }
}
