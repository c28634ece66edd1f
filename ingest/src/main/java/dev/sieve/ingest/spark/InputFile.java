package dev.sieve.ingest.spark;

import dev.sieve.ingest.InputFormat;
import java.io.Serializable;

/**
 * One input file to ingest: where it is, how big, when it was last changed, its format, and the
 * name it has inside its {@code --input} argument.
 *
 * @param path the file's full path (URI form), as stored in {@code source_file}
 * @param idPath the path relative to the parent of the {@code --input} argument it was found under
 *     ({@link InputFiles#idPath}): {@code corpus/jsonl/part-0.jsonl} for {@code --input /data/corpus}.
 *     Ids of records keyed inside their file use it, so that the same corpus read from another
 *     folder or machine gives the same {@code doc_id}s
 */
public record InputFile(String path, String idPath, long size, long modificationTime, InputFormat format) implements Serializable {}
