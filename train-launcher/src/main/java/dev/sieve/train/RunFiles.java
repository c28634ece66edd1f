package dev.sieve.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The files every backend shares in a run folder: {@code launch.json}, {@code exit.json}, {@code train.log}. */
final class RunFiles {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String LAUNCH = "launch.json";
  static final String EXIT = "exit.json";
  static final String LOG = "train.log";

  private RunFiles() {}

  /** Writes {@code launch.json} atomically (a temporary file, then a rename). */
  static void writeLaunch(Path runDir, Map<String, Object> info) {
    try {
      Path tmp = runDir.resolve(LAUNCH + ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(info));
      Files.move(tmp, runDir.resolve(LAUNCH), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + runDir.resolve(LAUNCH), e);
    }
  }

  @SuppressWarnings("unchecked")
  /** Marks a run as cancelled by us in its {@code launch.json} (so a killed job reads CANCELLED, not FAILED). */
  static void recordCancel(Path runDir) {
    Map<String, Object> info = readLaunch(runDir);
    info.put("cancel_time", java.time.Instant.now().toString());
    writeLaunch(runDir, info);
  }

  static boolean cancelled(Path runDir) {
    return readLaunch(runDir).containsKey("cancel_time");
  }

  static Map<String, Object> readLaunch(Path runDir) {
    try {
      return new LinkedHashMap<>(JSON.readValue(runDir.resolve(LAUNCH).toFile(), Map.class));
    } catch (IOException e) {
      throw new UncheckedIOException("no launch.json in " + runDir, e);
    }
  }

  /** The {@code status} the training program wrote into {@code exit.json}, if it wrote one. */
  static Optional<String> exitStatus(Path runDir) {
    Path exit = runDir.resolve(EXIT);
    if (!Files.isRegularFile(exit)) return Optional.empty();
    try {
      Object s = JSON.readValue(exit.toFile(), Map.class).get("status");
      return Optional.of(String.valueOf(s));
    } catch (IOException e) {
      return Optional.of("unreadable");
    }
  }

  /** The last {@code lines} lines of {@code file} (read from its last 64 KiB). */
  static String tail(Path file, int lines) {
    if (!Files.exists(file)) return "";
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      long start = Math.max(0, len - 64L * 1024);
      byte[] b = new byte[(int) (len - start)];
      f.seek(start);
      f.readFully(b);
      return tail(new String(b, StandardCharsets.UTF_8), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last {@code lines} lines of a text. */
  static String tail(String text, int lines) {
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines - 1);
    return String.join("\n", Arrays.asList(all).subList(from, all.length)).strip();
  }
}
