package dev.sieve.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code RUN_DIR/metrics.jsonl}: one JSON object per line, flushed as written. Step lines carry
 * {@code step, loss, lr, grad_norm, tokens_per_s, device} (and {@code val_loss} when evaluated);
 * event lines carry {@code event} ({@code start, resume, checkpoint, rollback, give_up, done}).
 * This file is what a loader turns into {@code gold/training_metrics}.
 */
public final class MetricsLog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private BufferedWriter out;
  private long lines;

  /** Opens for appending, first cutting the file to {@code keepLines} lines when it has more ({@code < 0}: keep all). */
  public MetricsLog(Path file, long keepLines) {
    this.file = file;
    try {
      List<String> existing = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
      if (keepLines >= 0 && existing.size() > keepLines) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, existing.subList(0, (int) keepLines), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lines = keepLines;
      } else {
        lines = existing.size();
      }
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  public long lines() {
    return lines;
  }

  public void write(Map<String, ?> record) {
    try {
      out.write(JSON.writeValueAsString(record));
      out.write('\n');
      out.flush();
      lines++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Every line of a metrics file, parsed. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> read(Path file) {
    try {
      List<Map<String, Object>> out = new ArrayList<>();
      for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) out.add(JSON.readValue(l, Map.class));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
