package dev.sieve.generate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sieve.core.DocIds;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@code _ground-truth.jsonl.gz}: one JSON object per line, each with a {@code type}:
 * <ul>
 *   <li>{@code doc}: every document: key, index, format, file, lang, declared_lang, topic,
 *       quality, title, chars, text_sha256 (of the canonical text), text_offset (where the
 *       canonical text starts in the record body: after the title line in WET), charset;</li>
 *   <li>{@code exact_duplicate}: key, of (the key of the copied document);</li>
 *   <li>{@code near_duplicate}: key, of, target_jaccard, jaccard (measured, {@code Shingles});
 *       documents sharing {@code of} form one group;</li>
 *   <li>{@code pii}: key, kind, start, end, value (offsets into the canonical text);</li>
 *   <li>{@code low_quality}: key, kind (spam, link_list, lorem_ipsum, repeated_lines,
 *       boilerplate_only, wrong_language, too_short), and declared_lang/lang for wrong_language;</li>
 *   <li>{@code non_html}: key (URL), content_type, file: responses ingest must skip.</li>
 * </ul>
 * The key of a document is its URL (WARC, WET, JSONL) or its {@code uniqueKey} (WuDao).
 */
final class GroundTruthWriter implements AutoCloseable {
  static final String FILE = "_ground-truth.jsonl.gz";

  private final OutputStream out;
  private final JsonGenerator g;

  GroundTruthWriter(Path dir) throws IOException {
    OutputStream file = new BufferedOutputStream(Files.newOutputStream(dir.resolve(FILE)), 1 << 16);
    this.out = new GZIPOutputStream(file, 1 << 16);
    this.g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.setRootValueSeparator(null);
  }

  void doc(GeneratedDoc d, String file, int textOffset) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "doc");
    g.writeStringField("key", d.key);
    g.writeNumberField("index", d.index);
    g.writeStringField("format", d.format.folder());
    g.writeStringField("file", file);
    g.writeStringField("lang", d.lang);
    g.writeStringField("declared_lang", d.declaredLang);
    g.writeStringField("topic", d.topic);
    g.writeStringField("quality", d.quality.label());
    g.writeStringField("title", d.title);
    g.writeNumberField("chars", d.text().length());
    g.writeStringField("text_sha256", sha256(d.text()));
    g.writeNumberField("text_offset", textOffset);
    if (d.format == Format.WARC) g.writeStringField("charset", d.charset);
    end();
    if (d.duplicateOf != null) {
      g.writeStartObject();
      g.writeStringField("type", d.exactDuplicate ? "exact_duplicate" : "near_duplicate");
      g.writeStringField("key", d.key);
      g.writeStringField("of", d.duplicateOf);
      if (!d.exactDuplicate) {
        g.writeNumberField("target_jaccard", d.targetJaccard);
        g.writeNumberField("jaccard", Math.round(d.jaccard * 10000) / 10000.0);
      }
      end();
    }
    if (d.quality != Quality.GOOD) {
      g.writeStartObject();
      g.writeStringField("type", "low_quality");
      g.writeStringField("key", d.key);
      g.writeStringField("kind", d.quality.label());
      if (d.quality == Quality.WRONG_LANGUAGE) {
        g.writeStringField("declared_lang", d.declaredLang);
        g.writeStringField("lang", d.lang);
      }
      end();
    }
    for (GeneratedDoc.PiiSpan s : d.pii()) {
      g.writeStartObject();
      g.writeStringField("type", "pii");
      g.writeStringField("key", d.key);
      g.writeStringField("kind", s.kind().name());
      g.writeNumberField("start", s.start());
      g.writeNumberField("end", s.end());
      g.writeStringField("value", s.value());
      end();
    }
  }

  void nonHtml(String url, String contentType, String file) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "non_html");
    g.writeStringField("key", url);
    g.writeStringField("content_type", contentType);
    g.writeStringField("file", file);
    end();
  }

  private void end() throws IOException {
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private static String sha256(String s) {
    return HexFormat.of().formatHex(DocIds.sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() throws IOException {
    g.flush();
    g.close();
    out.close();
  }
}
