package dev.sieve.generate.format;

/** One file the generator wrote: its path relative to the output folder, size, SHA-256 and record count. */
public record OutputFile(String path, long bytes, String sha256, long records) {}
