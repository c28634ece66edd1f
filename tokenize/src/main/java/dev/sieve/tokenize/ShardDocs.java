package dev.sieve.tokenize;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A shard's per-document sidecar, {@code <prefix>.docs}: one line per document of the shard, in
 * the order of its {@code .idx} sequences, {@code source TAB language} (UTF-8; {@value #UNKNOWN}
 * for a missing value, tabs and line breaks in a value replaced by spaces). Tokenize writes it
 * beside each {@code .bin}/{@code .idx} pair; {@code sieve train eval} reads it to split a
 * validation loss by source and language. Megatron-LM's reader ignores it.
 */
public final class ShardDocs {
  /** The sidecar's suffix after the shard prefix. */
  public static final String SUFFIX = ".docs";
  /** What a missing source or language is written as. */
  public static final String UNKNOWN = "unknown";

  /** One document's source and language. */
  public record Doc(String source, String language) {}

  private ShardDocs() {}

  /** {@code prefix + ".docs"}. */
  public static Path path(Path prefix) {
    return Path.of(prefix.toString() + SUFFIX);
  }

  /** The shard's documents in order, or null when it has no sidecar (shards written before it existed). */
  public static List<Doc> read(Path prefix) throws IOException {
    Path p = path(prefix);
    if (!Files.isRegularFile(p)) return null;
    List<Doc> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int tab = line.indexOf('\t');
        if (tab < 0) throw new IOException(p + ": line " + (out.size() + 1) + " has no tab: " + line);
        out.add(new Doc(line.substring(0, tab), line.substring(tab + 1)));
      }
    }
    return out;
  }

  /** Writes a sidecar, one {@link #add} per document in shard order. */
  public static final class Writer implements Closeable {
    private final Path path;
    private final BufferedWriter out;

    public Writer(Path prefix) throws IOException {
      this.path = ShardDocs.path(prefix);
      this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    }

    public void add(String source, String language) throws IOException {
      out.write(clean(source));
      out.write('\t');
      out.write(clean(language));
      out.write('\n');
    }

    /** The file written. */
    public Path path() {
      return path;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }

    private static String clean(String v) {
      return v == null || v.isBlank() ? UNKNOWN : v.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
  }
}
