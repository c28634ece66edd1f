package dev.sieve.decontaminate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one benchmark file into a {@link BenchmarkIndex.Builder}: JSON Lines (one object per line)
 * or CSV (RFC 4180, first record is the header). Parquet is read through Spark by the stage, one
 * row at a time as JSON ({@link #item}).
 *
 * <p>An item's texts are its configured {@code fields}, each a string or number, or a list / object
 * whose string leaves are texts of their own (MMLU's {@code choices}). Its id is the {@code id}
 * field when configured, else its 1-based line (JSONL), record (CSV) or row (Parquet) number. A
 * file none of whose items has any of the fields is a configuration error naming the benchmark.
 */
public final class BenchmarkReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DecontaminateSettings.Benchmark benchmark;
  private final String key;
  private final BenchmarkIndex.Builder builder;
  private long items;
  private long itemsWithText;

  /**
   * @param key the config key of the benchmark, for messages ({@code decontaminate.benchmarks[0]})
   */
  public BenchmarkReader(DecontaminateSettings.Benchmark benchmark, String key, BenchmarkIndex.Builder builder) {
    this.benchmark = benchmark;
    this.key = key;
    this.builder = builder;
  }

  /** Format of a file: the configured one, else from its name ({@code .jsonl}, {@code .json}, {@code .ndjson}, {@code .csv}, {@code .parquet}, optionally {@code .gz}). */
  public static String format(DecontaminateSettings.Benchmark b) {
    if (b.format != null && !b.format.equals(DecontaminateSettings.FORMAT_AUTO)) return b.format;
    String p = b.path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".gz")) p = p.substring(0, p.length() - 3);
    if (p.endsWith(".jsonl") || p.endsWith(".json") || p.endsWith(".ndjson")) return "jsonl";
    if (p.endsWith(".csv")) return "csv";
    if (p.endsWith(".parquet") || p.endsWith("/")) return "parquet";
    return "parquet"; // a folder of Parquet files, as Hugging Face exports them
  }

  /** Reads a JSONL or CSV stream (gunzipped already); returns the items read. */
  public long read(InputStream in, String format) throws IOException {
    Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
    switch (format) {
      case "jsonl" -> readJsonl(new BufferedReader(r));
      case "csv" -> readCsv(new BufferedReader(r));
      default -> throw new IllegalArgumentException("not a streamed format: " + format);
    }
    return finish();
  }

  private void readJsonl(BufferedReader in) throws IOException {
    String line;
    long lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) continue;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new ConfigException("bad benchmark file for '" + key + ".path' (" + benchmark.path + "): line " + lineNo + " is not JSON");
      }
      item(node, lineNo);
    }
  }

  private void readCsv(BufferedReader in) throws IOException {
    List<String> header = csvRecord(in);
    if (header == null) return;
    long n = 0;
    List<String> rec;
    while ((rec = csvRecord(in)) != null) {
      if (rec.size() == 1 && rec.get(0).isEmpty()) continue;
      n++;
      ObjectNode o = JSON.createObjectNode();
      for (int i = 0; i < header.size() && i < rec.size(); i++) o.put(header.get(i).strip(), rec.get(i));
      item(o, n);
    }
  }

  /** One CSV record (quoted fields may hold commas, quotes as {@code ""}, and newlines); null at the end. */
  static List<String> csvRecord(BufferedReader in) throws IOException {
    int c = in.read();
    if (c < 0) return null;
    List<String> out = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    while (true) {
      if (c < 0) {
        out.add(f.toString());
        return out;
      }
      if (quoted) {
        if (c == '"') {
          in.mark(1);
          int d = in.read();
          if (d == '"') {
            f.append('"');
          } else {
            quoted = false;
            if (d < 0) {
              out.add(f.toString());
              return out;
            }
            c = d;
            continue;
          }
        } else {
          f.append((char) c);
        }
      } else if (c == '"' && f.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        out.add(f.toString());
        f.setLength(0);
      } else if (c == '\n') {
        out.add(f.toString());
        return out;
      } else if (c != '\r') {
        f.append((char) c);
      }
      c = in.read();
    }
  }

  /** Adds one item, a JSON object (a JSONL line, a CSV record by header, a Parquet row), numbered {@code number} from 1. */
  public void item(JsonNode node, long number) {
    items++;
    List<String> texts = new ArrayList<>();
    for (String field : benchmark.fields) leaves(node.get(field), texts);
    if (!texts.isEmpty()) itemsWithText++;
    String id = null;
    if (benchmark.id != null) {
      JsonNode idNode = node.get(benchmark.id);
      if (idNode != null && !idNode.isNull()) id = idNode.isValueNode() ? idNode.asText() : idNode.toString();
    }
    builder.add(id == null ? Long.toString(number) : id, texts);
  }

  private static void leaves(JsonNode v, List<String> out) {
    if (v == null || v.isNull() || v.isMissingNode()) return;
    if (v.isValueNode()) {
      out.add(v.asText());
    } else {
      for (JsonNode child : v) leaves(child, out);
    }
  }

  /** Checks what was read; returns the items. */
  public long finish() {
    if (itemsWithText == 0) {
      throw new ConfigException("bad value for '" + key + ".fields': none of " + benchmark.fields + " holds text in any of the " + items
          + " items of " + benchmark.path);
    }
    return items;
  }
}
