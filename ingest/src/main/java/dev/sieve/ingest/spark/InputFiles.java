package dev.sieve.ingest.spark;

import dev.sieve.core.config.ConfigException;
import dev.sieve.ingest.InputFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists the files behind {@code --input} arguments: files, folders (walked recursively) and globs,
 * on any Hadoop filesystem. Files whose format ingest does not know are counted and left out.
 */
public final class InputFiles {
  private InputFiles() {}

  /** The files found and how many were left out for an unknown format. */
  public record Listing(List<InputFile> files, List<String> ignored) {}

  public static Listing list(Configuration conf, List<String> inputs) {
    TreeMap<String, InputFile> files = new TreeMap<>();
    List<String> ignored = new ArrayList<>();
    try {
      for (String input : inputs) {
        Path p = new Path(input);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(p);
        if (matches == null || matches.length == 0) throw new ConfigException("bad value for '--input': nothing found at " + input);
        Path root = idRoot(fs.makeQualified(p));
        for (FileStatus m : matches) {
          if (m.isDirectory()) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
            while (it.hasNext()) add(it.next(), root, files, ignored);
          } else {
            add(m, root, files, ignored);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list inputs " + inputs, e);
    }
    return new Listing(new ArrayList<>(files.values()), ignored);
  }

  /**
   * The folder that ids are relative to for one {@code --input} argument: the parent of the
   * argument, or of its last folder before the first glob component. So {@code /data/corpus},
   * {@code /data/corpus/} and {@code /data/corpus/*}{@code /*.jsonl} all name files
   * {@code corpus/…}, and a single file {@code /data/a.jsonl} is {@code a.jsonl}.
   */
  static Path idRoot(Path input) {
    Path prefix = input;
    for (Path q = input; q != null && !q.isRoot(); q = q.getParent()) {
      if (hasGlob(q.getName())) prefix = q.getParent();
    }
    Path root = prefix == null ? null : prefix.getParent();
    return root == null ? prefix : root;
  }

  /**
   * {@code file}'s path under {@code root} ({@link #idRoot}), with {@code /} separators; the file's
   * full path when it is not under {@code root}.
   */
  static String idPath(Path root, Path file) {
    String r = root == null ? "" : root.toUri().getPath();
    String f = file.toUri().getPath();
    if (!r.endsWith("/")) r = r + "/";
    return f.startsWith(r) ? f.substring(r.length()) : file.toString();
  }

  private static boolean hasGlob(String component) {
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{' || c == '\\') return true;
    }
    return false;
  }

  private static void add(FileStatus s, Path root, TreeMap<String, InputFile> files, List<String> ignored) {
    if (!s.isFile()) return;
    String path = s.getPath().toString();
    String name = s.getPath().getName();
    if (name.startsWith(".") || name.startsWith("_")) return;
    Optional<InputFormat> f = InputFormat.of(name);
    if (f.isEmpty()) {
      ignored.add(path);
      return;
    }
    files.putIfAbsent(path, new InputFile(path, idPath(root, s.getPath()), s.getLen(), s.getModificationTime(), f.get()));
  }
}
