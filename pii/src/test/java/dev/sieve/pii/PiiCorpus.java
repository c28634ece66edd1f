package dev.sieve.pii;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.PiiKind;
import dev.sieve.generate.GeneratedCorpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generated corpus read back for PII tests: the JSONL and WuDao documents (their text is the
 * canonical text the ground truth's offsets refer to) with their language and planted spans.
 */
public final class PiiCorpus {
  public record Planted(PiiKind kind, int start, int end, String value) {}

  public record Doc(String key, String text, String lang, List<Planted> planted) {}

  public final List<Doc> docs = new ArrayList<>();

  private PiiCorpus(GeneratedCorpus corpus) {
    Map<String, List<Planted>> planted = new TreeMap<>();
    for (JsonNode n : corpus.truth().ofType("pii")) {
      planted.computeIfAbsent(n.get("key").asText(), k -> new ArrayList<>()).add(new Planted(PiiKind.valueOf(n.get("kind").asText()),
          n.get("start").asInt(), n.get("end").asInt(), n.get("value").asText()));
    }
    for (GeneratedCorpus.Doc d : corpus.documents()) {
      String lang = d.declaredLang() != null ? d.declaredLang() : "zh"; // WuDao is a Chinese corpus
      docs.add(new Doc(d.key(), d.text(), lang, planted.getOrDefault(d.key(), List.of())));
    }
  }

  /** The corpus of {@code docCount} documents with {@code seed}, generated once per module ({@link GeneratedCorpus#cached}). */
  public static PiiCorpus cached(long docCount, long seed) throws IOException {
    return new PiiCorpus(GeneratedCorpus.cached(docCount, seed));
  }

  /** Generates the corpus into {@code dir} and reads it back. */
  public static PiiCorpus generate(Path dir, long docCount, long seed) throws IOException {
    return new PiiCorpus(GeneratedCorpus.generate(dir, docCount, seed));
  }
}
