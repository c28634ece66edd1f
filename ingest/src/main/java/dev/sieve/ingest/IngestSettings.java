package dev.sieve.ingest;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.ConfigSection;

/**
 * The {@code ingest:} config section.
 *
 * <pre>
 * ingest:
 *   source: null              # corpus name in bronze/documents; default per format (commoncrawl, wudao, jsonl, text, parquet)
 *   jsonl_text_field: text    # JSONL / Parquet field names
 *   jsonl_id_field: id
 *   jsonl_url_field: url
 *   jsonl_title_field: title
 *   instruction_format: auto  # auto | alpaca | chat | sharegpt | off: which JSONL lines are instruction records (InstructionRecords)
 *   max_link_density: {@value HtmlExtractor#DEFAULT_MAX_LINK_DENSITY}     # HTML blocks with more link text than this are navigation
 *   max_body_bytes: {@value WarcRecordReader#DEFAULT_MAX_BODY_BYTES}  # larger WARC bodies are quarantined
 *   language_sample_chars: {@value LanguageIdentifier#DEFAULT_SAMPLE_CHARS}
 *   split_bytes: {@value #DEFAULT_SPLIT_BYTES}     # gzip WARC/WET files larger than this are read by several tasks
 * </pre>
 */
public final class IngestSettings implements ConfigSection {
  public static final String DEFAULT_JSONL_TEXT_FIELD = "text";
  public static final String DEFAULT_JSONL_ID_FIELD = "id";
  public static final String DEFAULT_JSONL_URL_FIELD = "url";
  public static final String DEFAULT_JSONL_TITLE_FIELD = "title";

  /** Corpus name written to {@code source}; {@code null} means the format's default. */
  public String source;
  public String jsonlTextField = DEFAULT_JSONL_TEXT_FIELD;
  public String jsonlIdField = DEFAULT_JSONL_ID_FIELD;
  public String jsonlUrlField = DEFAULT_JSONL_URL_FIELD;
  public String jsonlTitleField = DEFAULT_JSONL_TITLE_FIELD;
  /**
   * Which JSONL lines are instruction-tuning records ({@link InstructionRecords}): {@code auto}
   * (default: recognised by their fields), {@code alpaca}, {@code chat}, {@code sharegpt} (every
   * line must be one), or {@code off} (plain JSONL only).
   */
  public String instructionFormat = InstructionRecords.Format.AUTO.key();
  public double maxLinkDensity = HtmlExtractor.DEFAULT_MAX_LINK_DENSITY;
  public int maxBodyBytes = WarcRecordReader.DEFAULT_MAX_BODY_BYTES;
  public int languageSampleChars = LanguageIdentifier.DEFAULT_SAMPLE_CHARS;
  /**
   * A gzip WARC or WET file larger than this many bytes is read by {@code ceil(size / split_bytes)}
   * Spark tasks, each starting at a gzip member (record) boundary, so a few large files still keep
   * every core busy. Default {@value #DEFAULT_SPLIT_BYTES} (16 MiB): about two seconds of one core's
   * work, so the last task of a run leaves little idle time, while a task's fixed cost (opening the
   * file, finding its first record) stays negligible.
   */
  public long splitBytes = DEFAULT_SPLIT_BYTES;
  public static final long DEFAULT_SPLIT_BYTES = 16L * 1024 * 1024;

  @Override
  public void validate(String prefix) {
    if (source != null && !source.matches("[a-z0-9][a-z0-9_.-]{0,63}")) {
      throw new ConfigException("bad value for '" + prefix + ".source': '" + source + "' (lower-case letters, digits, '_', '.', '-')");
    }
    if (jsonlTextField == null || jsonlTextField.isBlank()) throw new ConfigException("bad value for '" + prefix + ".jsonl_text_field': must not be empty");
    if (InstructionRecords.Format.of(instructionFormat) == null) {
      throw new ConfigException("bad value for '" + prefix + ".instruction_format': '" + instructionFormat + "' (auto, alpaca, chat, sharegpt, off)");
    }
    ConfigSection.checkRange(prefix + ".max_link_density", maxLinkDensity, 0.01, 1);
    ConfigSection.checkAtLeast(prefix + ".max_body_bytes", maxBodyBytes, 1024);
    ConfigSection.checkAtLeast(prefix + ".language_sample_chars", languageSampleChars, 50);
    ConfigSection.checkAtLeast(prefix + ".split_bytes", splitBytes, 64 * 1024);
  }

  public JsonlReader.Fields jsonlFields() {
    return new JsonlReader.Fields(jsonlTextField, jsonlIdField, jsonlUrlField, jsonlTitleField);
  }

  public InstructionRecords.Format instructions() {
    return InstructionRecords.Format.of(instructionFormat);
  }

  public String sourceFor(InputFormat format) {
    return source != null ? source : format.defaultSource();
  }
}
