package dev.sieve.train;

import dev.sieve.core.Lake;
import dev.sieve.tokenize.TokenizerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The paths of a {@link JobSpec} ({@code data.shards}, {@code data.validation}, an {@code hf:}
 * tokenizer, {@code init_from}, {@code sft.path}, {@code dpo.data}, {@code dpo.validation}) and of a run folder: lake-relative as a run
 * folder records them, full as the training program reads them. A run folder is {@code
 * <lake>/runs/<run_id>}, so a lake moved as a whole keeps working.
 */
final class SpecPaths {
  private SpecPaths() {}

  /** The lake a run folder belongs to: {@code <lake>/runs/<run_id>} gives {@code <lake>}; null for a folder elsewhere. */
  static Path lakeOf(Path runDir) {
    Path abs = runDir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null || parent.getFileName() == null || !parent.getFileName().toString().equals("runs")) return null;
    return parent.getParent();
  }

  /**
   * How a file is recorded in a run folder: relative to the lake root when it lies in the lake of
   * {@code runDir}, else absolute (never relative to the working directory).
   */
  static String recordedPath(Path runDir, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path lake = lakeOf(runDir);
    return lake != null && abs.startsWith(lake) && !abs.equals(lake) ? lake.relativize(abs).toString() : abs.toString();
  }

  /**
   * Applies {@code f} to every path of {@code spec}, in place.
   *
   * @return {@code spec}
   */
  static JobSpec map(JobSpec spec, UnaryOperator<String> f) {
    spec.data.shards.replaceAll(f);
    spec.data.validation.replaceAll(f);
    TokenizerSpec t = TokenizerSpec.split(spec.tokenizer);
    if (t != null && t.isHf()) spec.tokenizer = t.withArg(f.apply(t.arg())).toString();
    if (spec.initFrom != null) spec.initFrom = f.apply(spec.initFrom);
    if (spec.sft != null && spec.sft.path != null) spec.sft.path = f.apply(spec.sft.path);
    if (spec.dpo != null && spec.dpo.data != null) spec.dpo.data = f.apply(spec.dpo.data);
    if (spec.dpo != null && spec.dpo.validation != null) spec.dpo.validation = f.apply(spec.dpo.validation);
    return spec;
  }

  /**
   * A relative path resolved against a lake root (absolute paths and URIs stay as they are). A
   * relative path found only relative to the working directory, as specs written before paths were
   * lake-relative may hold, is left as it is.
   */
  static String resolve(Path lake, String p) {
    if (Lake.isAbsolute(p)) return p;
    Path underLake = lake.resolve(p).normalize();
    if (!present(underLake) && present(Path.of(p))) return p;
    return underLake.toString();
  }

  /**
   * How a path is recorded for {@code lake}: found under the lake first, then relative to the
   * working directory, it becomes relative to the lake root when it lies in the lake, else
   * absolute; URIs stay as they are. {@link #resolve} turns it back into a full path.
   */
  static UnaryOperator<String> recorder(Path lake) {
    Path root = lake.toAbsolutePath().normalize();
    return q -> {
      String p = q.startsWith("file://") ? q.substring(7) : q.startsWith("file:") ? q.substring(5) : q;
      if (Lake.isAbsolute(p) && !p.startsWith("/")) return p;
      Path full = Path.of(resolve(root, p)).toAbsolutePath().normalize();
      return full.startsWith(root) && !full.equals(root) ? root.relativize(full).toString() : full.toString();
    };
  }

  /** A file, a folder, or a shard prefix ({@code .idx} beside it). */
  private static boolean present(Path p) {
    return Files.exists(p) || Files.exists(p.resolveSibling(p.getFileName() + ".idx"));
  }
}
