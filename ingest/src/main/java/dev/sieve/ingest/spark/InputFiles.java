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
        for (FileStatus m : matches) {
          if (m.isDirectory()) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
            while (it.hasNext()) add(it.next(), files, ignored);
          } else {
            add(m, files, ignored);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list inputs " + inputs, e);
    }
    return new Listing(new ArrayList<>(files.values()), ignored);
  }

  private static void add(FileStatus s, TreeMap<String, InputFile> files, List<String> ignored) {
    if (!s.isFile()) return;
    String path = s.getPath().toString();
    String name = s.getPath().getName();
    if (name.startsWith(".") || name.startsWith("_")) return;
    Optional<InputFormat> f = InputFormat.of(name);
    if (f.isEmpty()) {
      ignored.add(path);
      return;
    }
    files.put(path, new InputFile(path, s.getLen(), s.getModificationTime(), f.get()));
  }
}
