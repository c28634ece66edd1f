package dev.sieve.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a UTF-8 JSONL file line by line, skipping blank lines, with 1-based line numbers. */
final class JsonlLines {
  /** What to do with one non-blank line. */
  interface Handler {
    void line(int number, String text) throws IOException;
  }

  private JsonlLines() {}

  /**
   * Calls {@code h} for every non-blank line of {@code file}.
   *
   * @throws UncheckedIOException naming {@code what} when the file cannot be read (or {@code h}
   *     throws an {@link IOException})
   */
  static void read(Path file, String what, Handler h) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (!line.isBlank()) h.line(no, line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " " + file, e);
    }
  }
}
