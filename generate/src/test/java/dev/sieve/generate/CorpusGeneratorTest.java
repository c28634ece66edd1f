package dev.sieve.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.DocIds;
import dev.sieve.generate.text.Shingles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/** Reads a generated corpus back with real parsers and checks it against its own ground truth. */
class CorpusGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DOCS = 1500;

  @TempDir
  static Path dir;
  static Path out;
  static CorpusGenerator.Result result;
  static List<JsonNode> truth;
  static Map<String, JsonNode> docs = new HashMap<>();
  /** key -> canonical text, for every record whose text can be read without HTML extraction. */
  static Map<String, String> texts = new HashMap<>();

  @BeforeAll
  static void generate() throws IOException {
    out = dir.resolve("corpus");
    GenerateSettings s = new GenerateSettings();
    s.docs = DOCS;
    s.seed = 2026;
    s.docsPerFile = 400;
    result = new CorpusGenerator(s).generate(out, null);
    GroundTruth read = GroundTruth.read(out);
    truth = read.all();
    docs.putAll(read.docsByKey());
  }

  private static long count(String type) {
    return truth.stream().filter(n -> n.get("type").asText().equals(type)).count();
  }

  @Test
  void countsMatchManifestAndGroundTruth() throws IOException {
    assertEquals(DOCS, docs.size());
    assertEquals(DOCS, result.documents());
    JsonNode manifest = JSON.readTree(out.resolve("_manifest.json").toFile());
    assertEquals(DOCS, manifest.get("documents").asLong());
    assertEquals(result.exactDuplicates(), count("exact_duplicate"));
    assertEquals(result.nearDuplicates(), count("near_duplicate"));
    assertEquals(result.piiSpans(), count("pii"));
    assertEquals(result.nonHtml(), count("non_html"));
    assertEquals(DOCS - result.byQuality().get("good"), count("low_quality"));
    // Every language, format and low-quality kind occurs.
    assertEquals(List.of("de", "en", "es", "fr", "ru", "zh"), new ArrayList<>(result.byLanguage().keySet()));
    assertEquals(List.of("jsonl", "warc", "wet", "wudao"), new ArrayList<>(result.byFormat().keySet()));
    for (Quality q : Quality.values()) assertTrue(result.byQuality().getOrDefault(q.label(), 0L) > 0, q.label());
    assertTrue(result.exactDuplicates() > 10 && result.nearDuplicates() > 20 && result.piiSpans() > 100, result.toString());
    // 1500 docs at 400 per file: the bigger formats roll over to a second file.
    assertTrue(manifest.get("files").size() >= 5);
    for (JsonNode f : manifest.get("files")) {
      Path p = out.resolve(f.get("path").asText());
      assertEquals(f.get("bytes").asLong(), Files.size(p));
      assertEquals(f.get("sha256").asText(), java.util.HexFormat.of().formatHex(DocIds.sha256().digest(Files.readAllBytes(p))));
    }
  }

  @Test
  void jsonlAndWudaoRecordsMatchTheirGroundTruth() throws IOException {
    int jsonl = 0, wudao = 0;
    GeneratedCorpus corpus = new GeneratedCorpus(out);
    for (GeneratedCorpus.Doc n : corpus.jsonl()) {
      JsonNode d = docs.get(n.key());
      assertNotNull(d, n.key());
      assertEquals(d.get("file").asText(), n.file());
      assertEquals(d.get("text_sha256").asText(), DocIds.sha256Hex(n.text()));
      assertEquals(d.get("declared_lang").asText(), n.declaredLang());
      texts.put(d.get("key").asText(), n.text());
      jsonl++;
    }
    // wudao() streams each file as a bare JSON array (and fails on one that is not).
    for (GeneratedCorpus.Doc n : corpus.wudao()) {
      assertEquals(List.of("id", "uniqueKey", "titleUkey", "dataType", "title", "content"), fieldNames(n.record()));
      JsonNode d = docs.get(n.key());
      assertEquals(d.get("text_sha256").asText(), DocIds.sha256Hex(n.text()));
      assertEquals("zh", d.get("declared_lang").asText());
      texts.put(d.get("key").asText(), n.text());
      wudao++;
    }
    assertEquals((long) result.byFormat().get("jsonl"), jsonl);
    assertEquals((long) result.byFormat().get("wudao"), wudao);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void warcAndWetReadBackWithJwarc() throws IOException {
    int responses = 0, html = 0, conversions = 0;
    try (Stream<Path> files = Files.list(out.resolve("warc"))) {
      for (Path f : files.sorted().toList()) {
        try (WarcReader reader = new WarcReader(f)) {
          WarcRecord first = reader.next().orElseThrow();
          assertEquals("warcinfo", first.type());
          for (WarcRecord rec : reader) {
            if (!(rec instanceof WarcResponse resp)) continue;
            responses++;
            MediaType type = resp.http().contentType();
            if (!type.base().toString().equals("text/html")) continue;
            html++;
            JsonNode d = docs.get(resp.target());
            assertNotNull(d, resp.target());
            byte[] body = resp.http().body().stream().readAllBytes();
            String charset = d.get("charset").asText();
            String page = new String(body, Charset.forName(charset));
            assertTrue(page.contains("<html lang=\"" + d.get("declared_lang").asText() + "\">"));
            String title = d.get("title").asText().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
            assertTrue(page.contains("<title>" + title + " | "), "title of " + resp.target());
            boolean inHeader = type.parameters().containsKey("charset");
            boolean inMeta = page.contains("charset=" + charset) || page.contains("charset=\"" + charset + "\"");
            assertTrue(inHeader || inMeta, "charset declared somewhere for " + resp.target());
            if (inHeader) assertEquals(charset.toLowerCase(), type.parameters().get("charset").toLowerCase());
          }
        }
      }
    }
    try (Stream<Path> files = Files.list(out.resolve("wet"))) {
      for (Path f : files.sorted().toList()) {
        try (WarcReader reader = new WarcReader(f)) {
          for (WarcRecord rec : reader) {
            if (!(rec instanceof WarcConversion conv)) continue;
            conversions++;
            JsonNode d = docs.get(conv.target());
            String body = new String(conv.body().stream().readAllBytes(), StandardCharsets.UTF_8);
            String text = body.substring(d.get("text_offset").asInt());
            assertEquals(d.get("text_sha256").asText(), DocIds.sha256Hex(text));
            assertTrue(conv.headers().first("WARC-Identified-Content-Language").isPresent());
            texts.put(d.get("key").asText(), text);
          }
        }
      }
    }
    assertEquals((long) result.byFormat().get("warc"), html);
    assertEquals(html + result.nonHtml(), responses);
    assertEquals((long) result.byFormat().get("wet"), conversions);
    long legacy = docs.values().stream().filter(d -> d.has("charset") && !d.get("charset").asText().equals("UTF-8")).count();
    assertTrue(legacy > 5, "some pages in GB18030 / windows-1251 / windows-1252: " + legacy);
  }

  @Test
  void duplicatesAndPiiAreWhereTheGroundTruthSays() throws IOException {
    if (texts.isEmpty()) {
      jsonlAndWudaoRecordsMatchTheirGroundTruth();
      warcAndWetReadBackWithJwarc();
    }
    int checkedNear = 0, checkedPii = 0;
    Map<Double, List<Double>> byLevel = new TreeMap<>();
    for (JsonNode n : truth) {
      String type = n.get("type").asText();
      String key = n.path("key").asText();
      switch (type) {
        case "exact_duplicate" -> assertEquals(docs.get(n.get("of").asText()).get("text_sha256"), docs.get(key).get("text_sha256"));
        case "near_duplicate" -> {
          double target = n.get("target_jaccard").asDouble();
          double jac = n.get("jaccard").asDouble();
          assertEquals(target, jac, 0.05, key);
          byLevel.computeIfAbsent(target, k -> new ArrayList<>()).add(jac);
          String a = texts.get(key), b = texts.get(n.get("of").asText());
          if (a != null && b != null) {
            assertEquals(jac, Shingles.jaccard(b, a), 1e-4, key);
            checkedNear++;
          }
        }
        case "pii" -> {
          String text = texts.get(key);
          if (text != null) {
            assertEquals(n.get("value").asText(), text.substring(n.get("start").asInt(), n.get("end").asInt()));
            checkedPii++;
          }
        }
        default -> { }
      }
    }
    assertEquals(4, byLevel.size(), "all four similarity levels: " + byLevel.keySet());
    assertTrue(checkedNear > 10, "near-duplicates verified on their texts: " + checkedNear);
    assertTrue(checkedPii > 50, "PII spans verified on their texts: " + checkedPii);
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes(@TempDir Path tmp) throws IOException {
    GenerateSettings s = new GenerateSettings();
    s.docs = 300;
    s.seed = 5;
    new CorpusGenerator(s).generate(tmp.resolve("a"), null);
    new CorpusGenerator(s).generate(tmp.resolve("b"), null);
    s.seed = 6;
    new CorpusGenerator(s).generate(tmp.resolve("c"), null);
    Map<String, byte[]> a = hashes(tmp.resolve("a")), b = hashes(tmp.resolve("b")), c = hashes(tmp.resolve("c"));
    assertEquals(a.keySet(), b.keySet());
    assertEquals(6, a.size(), a.keySet().toString());
    for (String f : a.keySet()) assertArrayEquals(a.get(f), b.get(f), f);
    assertFalse(java.util.Arrays.equals(a.get("_ground-truth.jsonl.gz"), c.get("_ground-truth.jsonl.gz")));
    assertNotEquals(new String(a.get("_manifest.json")), new String(c.get("_manifest.json")));
  }

  private static Map<String, byte[]> hashes(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        try (InputStream in = Files.newInputStream(p)) {
          out.put(root.relativize(p).toString(), DocIds.sha256().digest(in.readAllBytes()));
        }
      }
    }
    return out;
  }
}
