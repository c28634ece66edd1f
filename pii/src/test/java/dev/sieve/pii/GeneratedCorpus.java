package dev.sieve.pii;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GenerateSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A generated corpus read back for PII tests: the JSONL and WuDao documents (their text is the
 * canonical text the ground truth's offsets refer to) with their language and planted spans.
 */
public final class GeneratedCorpus {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Planted(PiiKind kind, int start, int end, String value) {}

  public record Doc(String key, String text, String lang, List<Planted> planted) {}

  public final List<Doc> docs = new ArrayList<>();

  public GeneratedCorpus(Path dir, long docCount, long seed) throws IOException {
    GenerateSettings s = new GenerateSettings();
    s.docs = docCount;
    s.seed = seed;
    new CorpusGenerator(s).generate(dir, null);
    Map<String, List<Planted>> planted = new TreeMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
        Files.newInputStream(dir.resolve("_ground-truth.jsonl.gz"))), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode n = JSON.readTree(line);
        if (!n.get("type").asText().equals("pii")) continue;
        planted.computeIfAbsent(n.get("key").asText(), k -> new ArrayList<>()).add(new Planted(PiiKind.valueOf(n.get("kind").asText()),
            n.get("start").asInt(), n.get("end").asInt(), n.get("value").asText()));
      }
    }
    try (Stream<Path> files = Files.list(dir.resolve("jsonl"))) {
      for (Path f : files.sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode n = JSON.readTree(line);
          String key = n.get("url").asText();
          docs.add(new Doc(key, n.get("text").asText(), n.get("lang").asText(), planted.getOrDefault(key, List.of())));
        }
      }
    }
    try (Stream<Path> files = Files.list(dir.resolve("wudao"))) {
      for (Path f : files.sorted().toList()) {
        try (JsonParser p = JSON.getFactory().createParser(f.toFile())) {
          p.nextToken();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode n = JSON.readTree(p);
            String key = n.get("uniqueKey").asText();
            docs.add(new Doc(key, n.get("content").asText(), "zh", planted.getOrDefault(key, List.of())));
          }
        }
      }
    }
  }
}
