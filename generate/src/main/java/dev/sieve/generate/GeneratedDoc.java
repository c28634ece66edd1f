package dev.sieve.generate;

import dev.sieve.core.PiiKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated document with everything the ground truth says about it. Its canonical
 * {@link #text()} is its blocks joined by {@code "\n"}: what a perfect extractor returns for a
 * WARC page, the {@code content} of a WuDao record, the {@code text} of a JSONL line; PII offsets
 * refer to it.
 */
public final class GeneratedDoc {
  /** A planted PII value at {@code [start, end)} of {@link #text()} (UTF-16 offsets; all generated text is in the BMP, so these are code-point offsets too). */
  public record PiiSpan(PiiKind kind, int start, int end, String value) {}

  private record BlockSpan(int block, int offset, PiiKind kind, String value) {}

  final long index;
  final String lang;
  String declaredLang;
  final String topic;
  final Quality quality;
  String title;
  final List<Block> blocks = new ArrayList<>();
  private final List<BlockSpan> piiInBlocks = new ArrayList<>();

  Format format;
  String key;
  String url;
  String site;
  Instant fetchTime;
  String charset = "UTF-8";
  boolean charsetInHeader = true;
  boolean charsetInMeta = true;

  /** Set on copies: the key of the document this one copies. */
  String duplicateOf;
  boolean exactDuplicate;
  double targetJaccard = Double.NaN;
  double jaccard = Double.NaN;

  // WuDao-only fields.
  String uniqueKey;
  String titleUkey;
  String dataType;

  private String text;

  GeneratedDoc(long index, String lang, String topic, Quality quality) {
    this.index = index;
    this.lang = lang;
    this.declaredLang = lang;
    this.topic = topic;
    this.quality = quality;
  }

  public long index() { return index; }
  public String key() { return key; }
  public String lang() { return lang; }
  public String declaredLang() { return declaredLang; }
  public String topic() { return topic; }
  public Quality quality() { return quality; }
  public String title() { return title; }
  public List<Block> blocks() { return blocks; }
  public Format format() { return format; }
  public String url() { return url; }
  public Instant fetchTime() { return fetchTime; }

  void addBlock(Block.Type type, String s) {
    blocks.add(new Block(type, s));
    text = null;
  }

  /** Appends a sentence carrying a PII value to block {@code b}; {@code valueAt} is where the value starts in the sentence. */
  void appendPii(int b, String separator, String sentence, int valueAt, PiiKind kind, String value) {
    Block old = blocks.get(b);
    String prefix = old.text().isEmpty() ? "" : old.text() + separator;
    piiInBlocks.add(new BlockSpan(b, prefix.length() + valueAt, kind, value));
    blocks.set(b, new Block(old.type(), prefix + sentence));
    text = null;
  }

  /** The canonical main text: blocks joined by a newline. */
  public String text() {
    if (text == null) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < blocks.size(); i++) {
        if (i > 0) sb.append('\n');
        sb.append(blocks.get(i).text());
      }
      text = sb.toString();
    }
    return text;
  }

  /** Planted PII with offsets into {@link #text()}. */
  public List<PiiSpan> pii() {
    List<PiiSpan> out = new ArrayList<>();
    for (BlockSpan s : piiInBlocks) {
      int base = 0;
      for (int i = 0; i < s.block(); i++) base += blocks.get(i).text().length() + 1;
      int start = base + s.offset();
      out.add(new PiiSpan(s.kind(), start, start + s.value().length(), s.value()));
    }
    return out;
  }

  boolean hasPii() {
    return !piiInBlocks.isEmpty();
  }
}
