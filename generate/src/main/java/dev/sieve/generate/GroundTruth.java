package dev.sieve.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a generated corpus's {@code _ground-truth.jsonl.gz} (see {@code GroundTruthWriter} for
 * the record types), for the tests and benchmarks that score a stage against it.
 */
public final class GroundTruth {
  private final List<JsonNode> records;

  private GroundTruth(List<JsonNode> records) {
    this.records = records;
  }

  /** @param corpusDir the folder {@code sieve generate --out} wrote */
  public static GroundTruth read(Path corpusDir) {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(corpusDir.resolve(GroundTruthWriter.FILE))), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) out.add(json.readTree(line));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ground truth of " + corpusDir, e);
    }
    return new GroundTruth(out);
  }

  /** Every record of one {@code type} ({@code doc}, {@code near_duplicate}, {@code pii}, ...), in file order. */
  public List<JsonNode> ofType(String type) {
    return records.stream().filter(n -> n.path("type").asText().equals(type)).toList();
  }

  /** Every record, in file order. */
  public List<JsonNode> all() {
    return records;
  }

  /** The {@code doc} records by their {@code key} (a document's URL, or its WuDao {@code uniqueKey}). */
  public Map<String, JsonNode> docsByKey() {
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode n : ofType("doc")) out.put(n.get("key").asText(), n);
    return out;
  }
}
