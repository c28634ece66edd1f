package dev.sieve.ingest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NoSuchElementException;

/**
 * Base of the readers whose one step can yield several records (a document and a quarantine
 * entry, or a resynchronisation): {@link #step()} adds to {@link #pending} or sets {@link #done}.
 */
abstract class QueuedRecordReader implements RecordReader {
  protected final Deque<IngestRecord> pending = new ArrayDeque<>();
  protected boolean done;
  /** Units framed so far (see {@link RecordReader#framed()}): subclasses add one per record or bad stretch they frame. */
  protected long framed;

  /** Reads on until something is pending or the file is done. */
  protected abstract void step();

  @Override
  public final long framed() {
    return framed;
  }

  /** Queues the quarantine entry for a stretch of bytes that could not be framed as a record (counts as one framed unit). */
  protected final void quarantineRegion(IngestRecord q) {
    framed++;
    pending.add(q);
  }

  @Override
  public final boolean hasNext() {
    while (pending.isEmpty() && !done) step();
    return !pending.isEmpty();
  }

  @Override
  public final IngestRecord next() {
    if (!hasNext()) throw new NoSuchElementException();
    return pending.poll();
  }
}
