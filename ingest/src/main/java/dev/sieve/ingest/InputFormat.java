package dev.sieve.ingest;

import java.util.Locale;
import java.util.Optional;

/** The input formats ingest reads, recognised by file name. */
public enum InputFormat {
  /** WARC with HTTP responses ({@code .warc}, {@code .warc.gz}); HTML pages become documents. */
  WARC,
  /** WET: WARC conversion records with plain text ({@code .wet}, {@code .wet.gz}, {@code .warc.wet.gz}). */
  WET,
  /** WuDao corpus JSON: a bare array of records or {@code {"RECORDS": [...]}} ({@code .json}). */
  WUDAO,
  /** JSON Lines with a text field ({@code .jsonl}, {@code .ndjson}, optionally {@code .gz}). */
  JSONL,
  /** Plain text, one document per line, like CLUECorpus ({@code .txt}, optionally {@code .gz}). */
  TEXT,
  /** Parquet with a text column ({@code .parquet}). */
  PARQUET;

  /** The format of a file by its name, if it is one ingest reads. */
  public static Optional<InputFormat> of(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    int slash = n.lastIndexOf('/');
    if (slash >= 0) n = n.substring(slash + 1);
    if (n.startsWith(".") || n.startsWith("_")) return Optional.empty();
    if (n.endsWith(".wet") || n.endsWith(".wet.gz")) return Optional.of(WET);
    if (n.endsWith(".warc") || n.endsWith(".warc.gz")) return Optional.of(WARC);
    if (n.endsWith(".json") || n.endsWith(".json.gz")) return Optional.of(WUDAO);
    if (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz") || n.endsWith(".ndjson") || n.endsWith(".ndjson.gz")) return Optional.of(JSONL);
    if (n.endsWith(".txt") || n.endsWith(".txt.gz")) return Optional.of(TEXT);
    if (n.endsWith(".parquet")) return Optional.of(PARQUET);
    return Optional.empty();
  }

  /** Source name used when the config does not set one. */
  public String defaultSource() {
    return switch (this) {
      case WARC, WET -> "commoncrawl";
      case WUDAO -> "wudao";
      case JSONL -> "jsonl";
      case TEXT -> "text";
      case PARQUET -> "parquet";
    };
  }
}
