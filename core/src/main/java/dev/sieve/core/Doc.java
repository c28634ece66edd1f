package dev.sieve.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One document as it flows through the stages: the row shape of {@code bronze/documents}
 * (see DESIGN.md, "Tables"). Immutable; build with {@link #builder()} and derive variants with
 * {@link #toBuilder()}.
 *
 * <p>Per-document logic (readers, rules, detectors) takes and returns {@code Doc}s and never
 * sees Spark; the {@code spark} subpackages convert to and from rows.
 */
public final class Doc {
  private final String docId;
  private final String source;
  private final String url;
  private final String domain;
  private final Instant fetchTime;
  private final String language;
  private final double languageScore;
  private final String title;
  private final String text;
  private final String sourceFile;
  private final long sourceOffset;
  private final Map<String, String> metadata;
  private final String runId;

  private Doc(Builder b) {
    this.docId = Objects.requireNonNull(b.docId, "docId");
    this.source = Objects.requireNonNull(b.source, "source");
    this.url = b.url;
    this.domain = b.domain;
    this.fetchTime = b.fetchTime;
    this.language = b.language;
    this.languageScore = b.languageScore;
    this.title = b.title;
    this.text = Objects.requireNonNull(b.text, "text");
    this.sourceFile = b.sourceFile;
    this.sourceOffset = b.sourceOffset;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
    this.runId = b.runId;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.docId = docId;
    b.source = source;
    b.url = url;
    b.domain = domain;
    b.fetchTime = fetchTime;
    b.language = language;
    b.languageScore = languageScore;
    b.title = title;
    b.text = text;
    b.sourceFile = sourceFile;
    b.sourceOffset = sourceOffset;
    b.metadata.putAll(metadata);
    b.runId = runId;
    return b;
  }

  /** Stable id: see {@link DocIds#of(String, String, String)}. */
  public String docId() { return docId; }
  /** Where the document comes from, e.g. {@code commoncrawl}, {@code wudao}. */
  public String source() { return source; }
  public String url() { return url; }
  /** Registered domain of {@link #url()}, e.g. {@code example.co.uk}. */
  public String domain() { return domain; }
  public Instant fetchTime() { return fetchTime; }
  /** ISO 639-1 code, e.g. {@code en}, {@code zh}. */
  public String language() { return language; }
  public double languageScore() { return languageScore; }
  public String title() { return title; }
  public String text() { return text; }
  public String sourceFile() { return sourceFile; }
  /** Byte offset of the record in {@link #sourceFile()} (or the record number where bytes have no meaning). */
  public long sourceOffset() { return sourceOffset; }
  public Map<String, String> metadata() { return metadata; }
  public String runId() { return runId; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof Doc d)) return false;
    return Double.compare(languageScore, d.languageScore) == 0
        && sourceOffset == d.sourceOffset
        && docId.equals(d.docId)
        && source.equals(d.source)
        && Objects.equals(url, d.url)
        && Objects.equals(domain, d.domain)
        && Objects.equals(fetchTime, d.fetchTime)
        && Objects.equals(language, d.language)
        && Objects.equals(title, d.title)
        && text.equals(d.text)
        && Objects.equals(sourceFile, d.sourceFile)
        && metadata.equals(d.metadata)
        && Objects.equals(runId, d.runId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(docId, source, url, text);
  }

  @Override
  public String toString() {
    String head = text.length() > 60 ? text.substring(0, 60) + "…" : text;
    return "Doc{" + docId.substring(0, Math.min(12, docId.length())) + ", " + source + ", "
        + language + ", " + url + ", \"" + head.replace('\n', ' ') + "\"}";
  }

  /** Builder for {@link Doc}; {@code docId}, {@code source} and {@code text} are required. */
  public static final class Builder {
    private String docId;
    private String source;
    private String url;
    private String domain;
    private Instant fetchTime;
    private String language;
    private double languageScore;
    private String title;
    private String text;
    private String sourceFile;
    private long sourceOffset = -1;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String runId;

    private Builder() {}

    public Builder docId(String v) { this.docId = v; return this; }
    public Builder source(String v) { this.source = v; return this; }
    public Builder url(String v) { this.url = v; return this; }
    public Builder domain(String v) { this.domain = v; return this; }
    public Builder fetchTime(Instant v) { this.fetchTime = v; return this; }
    public Builder language(String v) { this.language = v; return this; }
    public Builder languageScore(double v) { this.languageScore = v; return this; }
    public Builder title(String v) { this.title = v; return this; }
    public Builder text(String v) { this.text = v; return this; }
    public Builder sourceFile(String v) { this.sourceFile = v; return this; }
    public Builder sourceOffset(long v) { this.sourceOffset = v; return this; }
    public Builder metadata(Map<String, String> v) { this.metadata.clear(); if (v != null) this.metadata.putAll(v); return this; }
    public Builder putMetadata(String k, String v) { this.metadata.put(k, v); return this; }
    public Builder runId(String v) { this.runId = v; return this; }

    public Doc build() { return new Doc(this); }
  }
}
