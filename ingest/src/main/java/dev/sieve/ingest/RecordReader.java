package dev.sieve.ingest;

import java.io.Closeable;
import java.util.Iterator;

/**
 * Streams the records of one input file. Never throws for a bad record: it yields a
 * {@link IngestRecord.Quarantined} entry and goes on with the next readable record, so one bad
 * record never stops a file and never takes good records with it.
 */
public interface RecordReader extends Iterator<IngestRecord>, Closeable {}
