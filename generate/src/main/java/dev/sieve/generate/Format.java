package dev.sieve.generate;

/** The file formats the generator writes, each in its own sub-folder of the output. */
public enum Format {
  /** Gzipped WARC with request + response records holding HTML pages ({@code warc/*.warc.gz}). */
  WARC("warc"),
  /** Gzipped WET: WARC conversion records with plain text ({@code wet/*.warc.wet.gz}). */
  WET("wet"),
  /** WuDao corpus JSON: a bare array of {id, uniqueKey, titleUkey, dataType, title, content} ({@code wudao/*.json}). */
  WUDAO("wudao"),
  /** One JSON object per line with id, url, title, text, lang, date ({@code jsonl/*.jsonl}). */
  JSONL("jsonl");

  private final String folder;

  Format(String folder) {
    this.folder = folder;
  }

  public String folder() {
    return folder;
  }
}
