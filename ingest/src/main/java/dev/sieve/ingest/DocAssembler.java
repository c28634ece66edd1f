package dev.sieve.ingest;

import dev.sieve.core.Doc;
import dev.sieve.core.DocIds;
import java.util.Optional;

/**
 * Turns a reader's {@link RawDoc} into a {@code bronze/documents} {@link Doc}: normalised text,
 * normalised URL and registered domain, language and score, and the stable {@code doc_id}
 * (source, URL or key, record id). Documents whose text is empty after normalisation are not
 * documents ({@code Optional.empty()}).
 */
public final class DocAssembler {
  private final LanguageIdentifier languages;

  public DocAssembler(LanguageIdentifier languages) {
    this.languages = languages;
  }

  public Optional<Doc> assemble(RawDoc raw, String runId) {
    String text = TextNormalizer.normalize(raw.text());
    if (text.isEmpty()) return Optional.empty();
    String url = Urls.normalize(raw.url());
    String urlForId = url != null ? url : raw.url();
    String domain = url == null ? null : Urls.registeredDomain(Urls.host(url));
    LanguageIdentifier.Result lang = languages.identify(text);
    String title = raw.title() == null ? null : TextNormalizer.normalize(raw.title());
    Doc doc = Doc.builder()
        .docId(DocIds.of(raw.source(), urlForId != null ? urlForId : raw.key(), raw.recordId()))
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
}
