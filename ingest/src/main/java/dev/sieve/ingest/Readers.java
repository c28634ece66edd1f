package dev.sieve.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Opens the right {@link RecordReader} for a file's format. */
public final class Readers {
  private Readers() {}

  /**
   * @throws IOException when the file cannot be opened at all (the job records it as unreadable)
   * @throws IllegalArgumentException for {@link InputFormat#PARQUET}, which Spark reads directly
   */
  public static RecordReader open(InputFormat format, RecordSource source, IngestSettings settings) throws IOException {
    String corpus = settings.sourceFor(format);
    return switch (format) {
      case WARC -> new WarcRecordReader(source, false, corpus, new HtmlExtractor(settings.maxLinkDensity), settings.maxBodyBytes);
      case WET -> new WarcRecordReader(source, true, corpus, new HtmlExtractor(settings.maxLinkDensity), settings.maxBodyBytes);
      case WUDAO -> new WudaoJsonReader(gunzipIfNeeded(source), corpus);
      case JSONL -> new JsonlReader(gunzipIfNeeded(source), corpus, settings.jsonlFields(), settings.instructions(), settings.source);
      case TEXT -> new TextLineReader(gunzipIfNeeded(source), corpus);
      case PARQUET -> throw new IllegalArgumentException("Parquet is read by Spark, not by a record reader");
    };
  }

  /**
   * A reader of the WARC or WET records that start in bytes [{@code start}, {@code end}) of
   * {@code source}, both record boundaries ({@link WarcRecordReader#memberStartAtOrAfter}, or 0
   * and the file's length): one split of a large file.
   *
   * @throws IllegalArgumentException for formats other than WARC and WET, which are read whole
   */
  public static RecordReader openSplit(InputFormat format, RecordSource source, IngestSettings settings, long start, long end)
      throws IOException {
    String corpus = settings.sourceFor(format);
    return switch (format) {
      case WARC, WET -> new WarcRecordReader(source.upTo(end), format == InputFormat.WET, corpus,
          new HtmlExtractor(settings.maxLinkDensity), settings.maxBodyBytes, start);
      default -> throw new IllegalArgumentException(format + " files are read whole, not in splits");
    };
  }

  /** For {@code .gz} files: a source whose offsets are positions in the uncompressed bytes. */
  static RecordSource gunzipIfNeeded(RecordSource raw) {
    if (!raw.name().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) return raw;
    return new RecordSource() {
      @Override
      public String name() {
        return raw.name();
      }

      @Override
      public long length() {
        return Long.MAX_VALUE;
      }

      @Override
      public InputStream open(long offset) throws IOException {
        InputStream in = new GZIPInputStream(raw.open(0), 1 << 16);
        in.skipNBytes(offset);
        return in;
      }
    };
  }
}
