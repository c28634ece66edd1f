package dev.sieve.tokenize.spark;

import static org.apache.spark.sql.functions.col;

import dev.sieve.core.DocIds;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.tokenize.IndexedDatasetWriter;
import dev.sieve.tokenize.TokenDType;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sieve shards verify}: re-reads every shard the manifest lists and checks both files'
 * sizes and SHA-256, and the {@code .idx} against the manifest and against itself (magic, version,
 * dtype, sequence and document counts, lengths summing to the token count, offsets consecutive,
 * {@code .bin} size = tokens × dtype size).
 */
public final class ShardVerifier {
  private ShardVerifier() {}

  /** One checked shard: its path and what is wrong with it (empty when fine). */
  public record Check(String path, long tokens, List<String> problems) {
    public boolean ok() { return problems.isEmpty(); }
  }

  /** @param dataset a dataset name, or null for all */
  public static List<Check> verify(SparkSession spark, Lake lake, String dataset) {
    String manifestPath = lake.path(Lake.GOLD_SHARD_MANIFEST);
    if (!DeltaTables.exists(spark, manifestPath)) throw new IllegalStateException("no gold/shard_manifest in lake " + lake.root());
    Dataset<Row> m = DeltaTables.read(spark, manifestPath);
    if (dataset != null) m = m.where(col("dataset").equalTo(dataset));
    List<Check> out = new ArrayList<>();
    for (Row r : m.orderBy("dataset", "path").collectAsList()) {
      out.add(check(spark, lake, r));
    }
    return out;
  }

  /** Checks one manifest row; its {@code path} is resolved against the lake root (absolute paths of older lakes as they are). */
  static Check check(SparkSession spark, Lake lake, Row r) {
    String prefix = r.getAs("path");
    long tokens = r.getAs("tokens");
    List<String> problems = new ArrayList<>();
    try {
      String full = lake.resolve(prefix);
      Path bin = new Path(full + ".bin");
      Path idx = new Path(full + ".idx");
      FileSystem fs = bin.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(bin) || !fs.exists(idx)) {
        problems.add("missing " + (fs.exists(bin) ? ".idx" : ".bin"));
        return new Check(prefix, tokens, problems);
      }
      long binSize = fs.getFileStatus(bin).getLen();
      long idxSize = fs.getFileStatus(idx).getLen();
      if (binSize != (long) r.getAs("bytes")) problems.add(".bin is " + binSize + " bytes, manifest says " + r.getAs("bytes"));
      if (idxSize != (long) r.getAs("idx_bytes")) problems.add(".idx is " + idxSize + " bytes, manifest says " + r.getAs("idx_bytes"));
      String binSha = sha256(fs.open(bin));
      if (!binSha.equals(r.getAs("sha256"))) problems.add(".bin SHA-256 " + binSha + " differs from the manifest's " + r.getAs("sha256"));
      byte[] idxBytes;
      try (InputStream in = fs.open(idx)) {
        idxBytes = in.readAllBytes();
      }
      String idxSha = HexFormat.of().formatHex(DocIds.sha256().digest(idxBytes));
      if (!idxSha.equals(r.getAs("idx_sha256"))) problems.add(".idx SHA-256 " + idxSha + " differs from the manifest's " + r.getAs("idx_sha256"));
      problems.addAll(checkIndex(idxBytes, binSize, r.getAs("dtype"), r.getAs("sequences"), tokens));
    } catch (IOException | RuntimeException e) {
      problems.add("unreadable: " + e.getMessage());
    }
    return new Check(prefix, tokens, problems);
  }

  /** Checks an {@code .idx} against the DESIGN.md layout and the manifest's counts. */
  static List<String> checkIndex(byte[] idx, long binSize, String dtypeName, long sequences, long tokens) {
    List<String> problems = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(idx).order(ByteOrder.LITTLE_ENDIAN);
    if (idx.length < 34) return List.of(".idx too short: " + idx.length + " bytes");
    byte[] magic = new byte[9];
    b.get(magic);
    if (!Arrays.equals(magic, IndexedDatasetWriter.MAGIC)) problems.add(".idx magic is not MMIDIDX");
    long version = b.getLong();
    if (version != 1) problems.add(".idx version " + version);
    int code = b.get();
    TokenDType dtype;
    try {
      dtype = TokenDType.ofCode(code);
    } catch (IllegalArgumentException e) {
      problems.add(".idx dtype code " + code + " unknown");
      return problems;
    }
    if (!dtype.name().toLowerCase(Locale.ROOT).equals(dtypeName)) problems.add(".idx dtype " + dtype + ", manifest says " + dtypeName);
    long n = b.getLong();
    long d = b.getLong();
    if (n != sequences) problems.add(".idx holds " + n + " sequences, manifest says " + sequences);
    if (d != n + 1) problems.add(".idx document index has " + d + " entries for " + n + " sequences");
    long expectedLength = 34L + n * 4 + n * 8 + d * 8;
    if (idx.length != expectedLength) {
      problems.add(".idx is " + idx.length + " bytes, its header implies " + expectedLength);
      return problems;
    }
    long sum = 0;
    long[] lengths = new long[(int) n];
    for (int i = 0; i < n; i++) {
      lengths[i] = b.getInt();
      sum += lengths[i];
    }
    if (sum != tokens) problems.add(".idx lengths sum to " + sum + " tokens, manifest says " + tokens);
    long expectedOffset = 0;
    for (int i = 0; i < n; i++) {
      long off = b.getLong();
      if (off != expectedOffset) {
        problems.add(".idx offset of sequence " + i + " is " + off + ", expected " + expectedOffset);
        break;
      }
      expectedOffset += lengths[i] * dtype.bytes();
    }
    if (binSize != sum * dtype.bytes()) problems.add(".bin holds " + binSize + " bytes for " + sum + " " + dtype + " tokens");
    for (long i = 0; i < d; i++) {
      long v = b.getLong();
      if (v != i) {
        problems.add(".idx document index entry " + i + " is " + v);
        break;
      }
    }
    return problems;
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest md = DocIds.sha256();
    try (DigestInputStream d = new DigestInputStream(in, md); DataInputStream din = new DataInputStream(d)) {
      byte[] buf = new byte[1 << 16];
      while (din.read(buf) >= 0) {
        // digest as we go
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
