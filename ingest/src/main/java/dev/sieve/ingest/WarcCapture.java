package dev.sieve.ingest;

import java.time.Instant;

/**
 * What ingest needs of one WARC record, whichever way it was read (jwarc, or
 * {@link LenientWarcScanner}): its type and headers, the HTTP status and content type of a
 * response, and the payload (the HTTP body of a response, the block of a conversion; null when it
 * was not read, e.g. a non-HTML response).
 *
 * @param start the record's offset in the file (compressed bytes for gzip members)
 */
record WarcCapture(String type, String target, Instant date, String recordId, String identifiedLanguage,
                   int httpStatus, String contentType, byte[] payload, long start) {}
