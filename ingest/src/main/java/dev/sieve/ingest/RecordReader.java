package dev.sieve.ingest;

import java.io.Closeable;
import java.util.Iterator;

/**
 * Streams the records of one input file. Never throws for a bad record: it yields a
 * {@link IngestRecord.Quarantined} entry and goes on with the next readable record, so one bad
 * record never stops a file and never takes good records with it.
 *
 * <p>Every unit the reader frames (a line, a JSON array element, a WARC record, or a stretch of
 * bytes it could not frame into a record and quarantined) yields exactly one
 * {@link IngestRecord}: a document, a skip with its reason, or a quarantine entry. Nothing is
 * passed over unrecorded. {@link #framed()} counts those units independently of what was yielded,
 * so the job can check, per file, that {@code framed = documents + skipped + quarantined} before it
 * marks the file done.
 */
public interface RecordReader extends Iterator<IngestRecord>, Closeable {
  /** How many records (and unframeable stretches of bytes) the reader has framed so far. */
  long framed();
}
