package dev.sieve.generate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.DocIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A generated corpus read back, for the tests and benchmarks of every stage: its documents in the
 * formats that carry the canonical text as written ({@code jsonl/} and {@code wudao/}; WARC and
 * WET need HTML extraction or a title line stripped, which is ingest's job) and its
 * {@link GroundTruth}.
 *
 * <p>{@link #cached} generates a corpus once per settings into {@code target/generated-corpora/}
 * (the working directory of a module's tests; system property {@code sieve.corpus.cache} moves
 * it) and hands the same folder to every later caller, in this JVM and in later runs: test
 * classes that need the same corpus share one generation. The folder name carries the document
 * count, the seed and a hash of all the settings and of the generator's classes, so a changed
 * generator or setting never reuses a stale corpus. Callers must not write into a cached corpus.
 */
public final class GeneratedCorpus {
  /** Where {@link #cached} keeps corpora unless {@code sieve.corpus.cache} says otherwise. */
  public static final String DEFAULT_CACHE = "target/generated-corpora";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One JSONL or WuDao record.
   *
   * @param format {@code jsonl} or {@code wudao}
   * @param file the file it stands in, relative to the corpus folder ({@code jsonl/part-00000.jsonl})
   * @param key its ground-truth key: the JSONL {@code url} or the WuDao {@code uniqueKey}
   * @param text the canonical text (JSONL {@code text}, WuDao {@code content})
   * @param declaredLang the JSONL {@code lang} field; {@code null} for WuDao, which declares none
   * @param record the whole record as parsed, field order kept
   */
  public record Doc(String format, String file, String key, String text, String declaredLang, JsonNode record) {}

  private final Path dir;
  private GroundTruth truth;

  /** A corpus already generated into {@code dir}. */
  public GeneratedCorpus(Path dir) {
    this.dir = dir;
  }

  /** Generates a corpus of {@code docs} documents with {@code seed} (the other settings their defaults) into {@code dir}. */
  public static GeneratedCorpus generate(Path dir, long docs, long seed) throws IOException {
    return generate(dir, settings(docs, seed));
  }

  /** Generates a corpus with {@code s} into {@code dir}. */
  public static GeneratedCorpus generate(Path dir, GenerateSettings s) throws IOException {
    new CorpusGenerator(s).generate(dir, null);
    return new GeneratedCorpus(dir);
  }

  /** {@link #cached(GenerateSettings)} with {@code docs} and {@code seed}, the other settings their defaults. */
  public static GeneratedCorpus cached(long docs, long seed) throws IOException {
    return cached(settings(docs, seed));
  }

  /**
   * The corpus {@code s} generates, generated on the first call for these settings (and this
   * generator build) and reused after that; see the class comment. Safe against a concurrent
   * caller: a corpus is generated aside and moved into place in one rename.
   */
  public static synchronized GeneratedCorpus cached(GenerateSettings s) throws IOException {
    Path root = Path.of(System.getProperty("sieve.corpus.cache", DEFAULT_CACHE)).toAbsolutePath();
    String hash = DocIds.sha256Hex(JSON.writeValueAsString(s) + "\n" + generatorStamp()).substring(0, 12);
    Path dir = root.resolve("docs" + s.docs + "-seed" + s.seed + "-" + hash);
    if (Files.isRegularFile(dir.resolve("_manifest.json"))) return new GeneratedCorpus(dir);
    Files.createDirectories(root);
    Path tmp = Files.createTempDirectory(root, dir.getFileName() + ".tmp-");
    try {
      new CorpusGenerator(s).generate(tmp, null);
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!Files.isRegularFile(dir.resolve("_manifest.json"))) throw e; // else another JVM won the race
      }
    } finally {
      deleteTree(tmp);
    }
    return new GeneratedCorpus(dir);
  }

  private static GenerateSettings settings(long docs, long seed) {
    GenerateSettings s = new GenerateSettings();
    s.docs = docs;
    s.seed = seed;
    return s;
  }

  /** Identifies the generator build: the size and modification time of its jar, or of the newest class in its folder. */
  private static String generatorStamp() throws IOException {
    Path code;
    try {
      code = Path.of(CorpusGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException e) {
      return "unknown";
    }
    if (!Files.isDirectory(code)) return Files.size(code) + "@" + Files.getLastModifiedTime(code).toMillis();
    long newest = 0, count = 0;
    try (Stream<Path> files = Files.walk(code)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
        count++;
      }
    }
    return count + "@" + newest;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    }
  }

  /** The corpus folder ({@code sieve generate --out}). */
  public Path dir() {
    return dir;
  }

  /** Its ground truth, read on the first call. */
  public synchronized GroundTruth truth() {
    if (truth == null) truth = GroundTruth.read(dir);
    return truth;
  }

  /** The JSONL documents and then the WuDao documents, each in file-name order then record order. */
  public List<Doc> documents() {
    List<Doc> out = new ArrayList<>(jsonl());
    out.addAll(wudao());
    return out;
  }

  /** The JSONL records (one JSON object a line), in file-name order; none when there is no {@code jsonl/}. */
  public List<Doc> jsonl() {
    List<Doc> out = new ArrayList<>();
    for (Path f : files("jsonl")) {
      String file = "jsonl/" + f.getFileName();
      try {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          JsonNode n = JSON.readTree(line);
          out.add(new Doc("jsonl", file, n.get("url").asText(), n.get("text").asText(), n.get("lang").asText(), n));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return out;
  }

  /**
   * The WuDao records, in file-name order. Each file is streamed as a bare JSON array, the way a
   * reader of multi-GB WuDao files must read it; a file that is not one is an error.
   */
  public List<Doc> wudao() {
    List<Doc> out = new ArrayList<>();
    for (Path f : files("wudao")) {
      String file = "wudao/" + f.getFileName();
      try (JsonParser p = JSON.getFactory().createParser(f.toFile())) {
        if (p.nextToken() != JsonToken.START_ARRAY) throw new IOException("not a bare JSON array");
        while (p.nextToken() == JsonToken.START_OBJECT) {
          JsonNode n = JSON.readTree(p);
          out.add(new Doc("wudao", file, n.get("uniqueKey").asText(), n.get("content").asText(), null, n));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return out;
  }

  private List<Path> files(String folder) {
    Path d = dir.resolve(folder);
    if (!Files.isDirectory(d)) return List.of();
    try (Stream<Path> files = Files.list(d)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + d, e);
    }
  }
}
