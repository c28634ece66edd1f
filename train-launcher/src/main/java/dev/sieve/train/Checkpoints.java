package dev.sieve.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints under {@code RUN_DIR/checkpoints/step-N}: {@code params.bin} (the weights),
 * {@code adam_m.bin} / {@code adam_v.bin} (AdamW's moments), {@code state.json} ({@link
 * TrainState}: step, data position, RNG, spike-guard window, metrics line count). A checkpoint is
 * written into a hidden temp folder, each file forced to disk, then renamed: a folder named
 * {@code step-N} is always complete, and a run killed while writing leaves only a temp folder,
 * removed on the next start.
 *
 * <p>Tensor files: int count, then per tensor its name (UTF), rank, dims (longs) and float32
 * values, big-endian (Java's DataOutputStream).
 */
public final class Checkpoints {
  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final Pattern STEP = Pattern.compile("step-(\\d+)");

  private Checkpoints() {}

  /** Named float tensors in a fixed order. */
  public record Tensor(String name, long[] shape, float[] values) {}

  public static Path dir(Path runDir) {
    return runDir.resolve("checkpoints");
  }

  /** Complete checkpoints, oldest first. */
  public static List<Path> list(Path runDir) {
    Path d = dir(runDir);
    if (!Files.isDirectory(d)) return List.of();
    try (Stream<Path> s = Files.list(d)) {
      List<Path> out = new ArrayList<>();
      s.filter(p -> STEP.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p.resolve("state.json")))
          .sorted(Comparator.comparingLong(Checkpoints::stepOf)).forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Optional<Path> latest(Path runDir) {
    List<Path> l = list(runDir);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(l.size() - 1));
  }

  public static long stepOf(Path checkpoint) {
    Matcher m = STEP.matcher(checkpoint.getFileName().toString());
    if (!m.matches()) throw new IllegalArgumentException("not a checkpoint folder: " + checkpoint);
    return Long.parseLong(m.group(1));
  }

  /** Removes temp folders left by a run killed while writing a checkpoint. */
  public static void removeIncomplete(Path runDir) {
    Path d = dir(runDir);
    if (!Files.isDirectory(d)) return;
    try (Stream<Path> s = Files.list(d)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().startsWith(".tmp-")) deleteTree(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code step-N} atomically; returns its path. */
  public static Path save(Path runDir, TrainState state, List<Tensor> params, List<Tensor> m, List<Tensor> v) {
    return write(runDir, state, params, m, v);
  }

  /** Writes {@code step-N} with weights and state only (no optimizer moments: an exported model), atomically; returns its path. */
  public static Path saveWeights(Path runDir, TrainState state, List<Tensor> params) {
    return write(runDir, state, params, null, null);
  }

  private static Path write(Path runDir, TrainState state, List<Tensor> params, List<Tensor> m, List<Tensor> v) {
    Path d = dir(runDir);
    Path target = d.resolve("step-" + state.step);
    Path tmp = d.resolve(".tmp-step-" + state.step + "-" + System.nanoTime());
    try {
      Files.createDirectories(tmp);
      writeTensors(tmp.resolve("params.bin"), params);
      if (m != null) writeTensors(tmp.resolve("adam_m.bin"), m);
      if (v != null) writeTensors(tmp.resolve("adam_v.bin"), v);
      byte[] json = JSON.writeValueAsBytes(state);
      try (OutputStream o = Files.newOutputStream(tmp.resolve("state.json"))) {
        o.write(json);
      }
      force(tmp.resolve("state.json"));
      if (Files.exists(target)) deleteTree(target); // a stale one from before a rollback
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + target, e);
    }
  }

  public static TrainState readState(Path checkpoint) {
    try {
      return JSON.readValue(checkpoint.resolve("state.json").toFile(), TrainState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + checkpoint.resolve("state.json"), e);
    }
  }

  static void writeTensors(Path file, List<Tensor> tensors) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeInt(tensors.size());
      for (Tensor t : tensors) {
        out.writeUTF(t.name());
        out.writeInt(t.shape().length);
        for (long s : t.shape()) out.writeLong(s);
        out.writeInt(t.values().length);
        for (float f : t.values()) out.writeFloat(f);
      }
    }
    force(file);
  }

  public static Map<String, Tensor> readTensors(Path file) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      int n = in.readInt();
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        long[] shape = new long[in.readInt()];
        for (int k = 0; k < shape.length; k++) shape[k] = in.readLong();
        float[] v = new float[in.readInt()];
        for (int k = 0; k < v.length; k++) v[k] = in.readFloat();
        out.put(name, new Tensor(name, shape, v));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.force(true);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(q);
    }
  }
}
