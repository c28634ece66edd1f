package dev.sieve.ingest.spark;

import dev.sieve.ingest.InputFormat;
import java.io.Serializable;

/** One input file to ingest: where it is, how big, when it was last changed, and its format. */
public record InputFile(String path, long size, long modificationTime, InputFormat format) implements Serializable {}
