package dev.sieve.ingest;

import dev.sieve.core.Conversation;
import dev.sieve.core.Doc;
import dev.sieve.core.DocIds;
import java.util.Optional;

/**
 * Turns a reader's {@link RawDoc} into a {@code bronze/documents} {@link Doc}: normalised text,
 * normalised URL and registered domain, language and score, and the stable {@code doc_id}
 * ({@link #docId}). Documents whose text is empty after normalisation are not documents
 * ({@code Optional.empty()}).
 */
public final class DocAssembler {
  private final LanguageIdentifier languages;
  private final String idFile;

  /** An assembler whose file-scoped ids use each record's {@link RawDoc#sourceFile()} as it is. */
  public DocAssembler(LanguageIdentifier languages) {
    this(languages, null);
  }

  /**
   * An assembler for the records of one file, whose file-scoped ids use {@code idFile} (the file's
   * path relative to its {@code --input} root, ingest's {@code InputFile.idPath}) instead of the
   * full path, so that the same corpus read from another folder gives the same ids.
   *
   * @param idFile the file's name for ids; null: each record's {@link RawDoc#sourceFile()}
   */
  public DocAssembler(LanguageIdentifier languages, String idFile) {
    this.languages = languages;
    this.idFile = idFile;
  }

  public Optional<Doc> assemble(RawDoc raw, String runId) {
    return assemble(raw, runId, null);
  }

  /** {@link #assemble(RawDoc, String)}, counting what normalising the text and title repaired into {@code repairs} (may be null). */
  public Optional<Doc> assemble(RawDoc raw, String runId, Repairs repairs) {
    String text = TextNormalizer.normalize(raw.text(), repairs);
    if (text.isEmpty()) return Optional.empty();
    String url = Urls.normalize(raw.url());
    String urlForId = url != null ? url : raw.url();
    String domain = url == null ? null : Urls.registeredDomain(Urls.host(url));
    // A conversation's language is its turns' (the role markers are no language).
    LanguageIdentifier.Result lang = languages.identify(Conversation.isConversation(raw.metadata()) ? Conversation.parse(text).contents() : text);
    String title = raw.title() == null ? null : TextNormalizer.normalize(raw.title(), repairs);
    Doc doc = Doc.builder()
        .docId(docId(raw, urlForId, idFile))
        .source(raw.source())
        .url(url != null ? url : raw.url())
        .domain(domain)
        .fetchTime(raw.fetchTime())
        .language(lang.language())
        .languageScore(Math.round(lang.score() * 10000) / 10000.0)
        .title(title == null || title.isEmpty() ? null : title)
        .text(text)
        .sourceFile(raw.sourceFile())
        .sourceOffset(raw.offset())
        .metadata(raw.metadata())
        .runId(runId)
        .build();
    return Optional.of(doc);
  }

  /**
   * A document's identity, so that nothing merges by accident:
   * <ul>
   *   <li>a record with a globally unique id (WARC/WET: WARC-Record-ID) is (source, URL, record id);
   *   <li>a record with a key that is unique only inside its file (JSONL {@code id}, WuDao
   *       {@code uniqueKey} or {@code id}, a Parquet id column) is (source, file, key);
   *   <li>a record without a key (a text line; JSONL, JSON or Parquet without a non-empty id) is
   *       (source, file, byte offset or row position).
   * </ul>
   * The same file read again gives the same ids (reruns MERGE, never duplicate). The file is named
   * by {@code idFile}, its path under the {@code --input} root, so the same corpus copied to another
   * folder or machine gives the same ids.
   *
   * @param urlForId the normalised URL (or the raw one when it does not normalise), or null
   * @param idFile the file's name for ids; null: {@link RawDoc#sourceFile()}
   */
  public static String docId(RawDoc raw, String urlForId, String idFile) {
    if (notEmpty(raw.recordId())) return DocIds.of(raw.source(), urlForId, raw.recordId());
    String file = idFile != null ? idFile : raw.sourceFile();
    if (notEmpty(raw.key())) return DocIds.of(raw.source(), file, "key:" + raw.key());
    return DocIds.of(raw.source(), file, "offset:" + raw.offset());
  }

  /** {@link #docId(RawDoc, String, String)} with the URL normalised as {@link #assemble} does and the record's own file name. */
  public static String docId(RawDoc raw) {
    String url = Urls.normalize(raw.url());
    return docId(raw, url != null ? url : raw.url(), null);
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
