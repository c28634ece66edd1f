package dev.sieve.tokenize.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Doc;
import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenize on real Delta tables: shards parsed by the DESIGN.md layout, determinism, verify, mixtures, increments. */
class TokenizeJobTest {
  static final StructType CLEAN = DocRows.SCHEMA.add("quality_score", DataTypes.DoubleType, true)
      .add("signals", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
      .add("cluster_id", DataTypes.StringType, true)
      .add("pii_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType, false), false);

  private static final String[] EN = {"the", "river", "city", "council", "voted", "library", "budget", "spring", "roof", "street"};
  private static final String[] DE = {"der", "Fluss", "Stadt", "Rat", "stimmte", "Bibliothek", "Haushalt", "Frühling", "Dach"};
  private static final String ZH = "北京时间昨天晚上国家统计局发布了最新的经济数据显示今年前三个季度国内生产总值同比增长";

  private final SparkSession spark = TestSpark.session();

  static Map<String, String> corpus(int en, int zh, int de, int offset) {
    SplittableRandom r = new SplittableRandom(offset);
    Map<String, String> docs = new TreeMap<>();
    for (int i = 0; i < en + zh + de; i++) {
      StringBuilder t = new StringBuilder();
      String lang = i < en ? "en" : i < en + zh ? "zh" : "de";
      int words = 40 + r.nextInt(80);
      for (int w = 0; w < words; w++) {
        if (lang.equals("zh")) t.append(ZH.charAt(r.nextInt(ZH.length())));
        else t.append(w == 0 ? "" : " ").append((lang.equals("en") ? EN : DE)[r.nextInt(lang.equals("en") ? EN.length : DE.length)]);
      }
      docs.put(lang + "-" + (offset + i), t.toString());
    }
    return docs;
  }

  static void write(SparkSession spark, Lake lake, Map<String, String> docs, SaveMode mode) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, String> e : docs.entrySet()) {
      Doc d = Doc.builder().docId(e.getKey()).source(e.getKey().startsWith("zh") ? "wudao" : "commoncrawl").language(e.getKey().substring(0, 2))
          .languageScore(1).text(e.getValue()).sourceOffset(0).runId("pii-test").build();
      rows.add(cleanRow(d));
    }
    spark.createDataFrame(rows, CLEAN).write().format("delta").mode(mode).save(lake.path(Lake.SILVER_CLEAN));
  }

  /** The {@code input_*} counts of tokenize run {@code runId}. */
  private Map<String, Long> inputCounts(Lake lake, String runId) {
    Row r = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("stage = 'tokenize' AND run_id = '" + runId + "'").head();
    Map<String, Long> out = new java.util.TreeMap<>(r.<String, Long>getJavaMap(r.fieldIndex("counts")));
    out.keySet().removeIf(k -> !k.startsWith("input_"));
    return out;
  }

  /** A {@code silver/clean} row ({@link #CLEAN}) of {@code d}. */
  static Row cleanRow(Doc d) {
    Row r = DocRows.toRow(d);
    Object[] v = new Object[r.length() + 4];
    for (int i = 0; i < r.length(); i++) v[i] = r.get(i);
    v[r.length()] = 0.5;
    v[r.length() + 1] = scala.collection.immutable.Map$.MODULE$.empty();
    v[r.length() + 3] = scala.collection.immutable.Map$.MODULE$.empty();
    return RowFactory.create(v);
  }

  /** Reads an .idx by the DESIGN.md byte layout, independently of the reader class: [dtype code, N, D, lengths..., offsets...]. */
  static long[][] parseIdx(Path idx) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(idx)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[9];
    b.get(magic);
    assertArrayEquals("MMIDIDX\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), magic);
    assertEquals(1L, b.getLong());
    int code = b.get();
    long n = b.getLong();
    long d = b.getLong();
    long[] lengths = new long[(int) n];
    long[] offsets = new long[(int) n];
    for (int i = 0; i < n; i++) lengths[i] = b.getInt();
    for (int i = 0; i < n; i++) offsets[i] = b.getLong();
    long[] docIndex = new long[(int) d];
    for (int i = 0; i < d; i++) docIndex[i] = b.getLong();
    assertFalse(b.hasRemaining());
    return new long[][] {{code, n, d}, lengths, offsets, docIndex};
  }

  /**
   * With decontamination configured the CLI hands tokenize {@code silver/decontaminated}: it reads
   * that table (and its versions, incrementally), not {@code silver/clean}; the plain overloads
   * still read {@code silver/clean}.
   */
  @Test
  void readsTheInputTableItIsGiven(@TempDir Path dir) throws Exception {
    Map<String, String> docs = corpus(12, 6, 0, 0);
    Lake lake = new Lake(dir.resolve("d").toString());
    write(spark, lake, docs, SaveMode.ErrorIfExists);
    // silver/decontaminated: the clean documents less the Chinese ones.
    DeltaTables.read(spark, lake.path(Lake.SILVER_CLEAN)).where("language <> 'zh'").write().format("delta")
        .save(lake.path(Lake.SILVER_DECONTAMINATED));
    SieveConfig config = SieveConfig.parse("tokenize:\n  validation_fraction: 0\n");
    java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    TokenizeJob.Result r = TokenizeJob.run(spark, lake, config, "tok-d1", false, Lake.SILVER_DECONTAMINATED, quiet);
    assertEquals(12, r.documents());
    Row sr = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'tok-d1'").head();
    assertEquals(java.util.Set.of(Lake.SILVER_DECONTAMINATED), sr.getJavaMap(sr.fieldIndex("versions_read")).keySet());
    // Incremental on that table: only what it gained since.
    DeltaTables.read(spark, lake.path(Lake.SILVER_CLEAN)).where("language = 'zh'").limit(2).write().format("delta").mode(SaveMode.Append)
        .save(lake.path(Lake.SILVER_DECONTAMINATED));
    assertEquals(2, TokenizeJob.run(spark, lake, config, "tok-d2", false, Lake.SILVER_DECONTAMINATED, quiet).documents());
    assertEquals(Map.of("input_rows_read", 12L, "input_read_whole", 1L), inputCounts(lake, "tok-d1"));
    assertEquals(Map.of("input_rows_read", 2L), inputCounts(lake, "tok-d2"), "an append is read alone");
    // A DELETE in between: the whole table is read (13 rows) and anti-joined; the one appended document is new.
    io.delta.tables.DeltaTable.forPath(spark, lake.path(Lake.SILVER_DECONTAMINATED)).delete("language = 'en'");
    Doc fresh = Doc.builder().docId("en-new").source("commoncrawl").language("en").languageScore(1)
        .text("the river city council voted on the library budget this spring").sourceOffset(0).runId("pii-test").build();
    spark.createDataFrame(List.of(cleanRow(fresh)), CLEAN).write().format("delta").mode(SaveMode.Append).save(lake.path(Lake.SILVER_DECONTAMINATED));
    assertEquals(1, TokenizeJob.run(spark, lake, config, "tok-d2b", false, Lake.SILVER_DECONTAMINATED, quiet).documents());
    assertEquals(Map.of("input_rows_read", 3L, "input_read_whole", 1L), inputCounts(lake, "tok-d2b"));
    // Decontamination turned off again: the dataset's shards came from silver/decontaminated, so an
    // incremental run on silver/clean is refused (it would add nothing and keep the old shards) until --full.
    dev.sieve.core.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(dev.sieve.core.config.ConfigException.class,
        () -> TokenizeJob.run(spark, lake, config, "tok-d3", false, Lake.SILVER_CLEAN, quiet));
    assertTrue(e.getMessage().contains("was tokenized from silver/decontaminated") && e.getMessage().contains("sieve tokenize --full"),
        e.getMessage());
    assertEquals(18, TokenizeJob.run(spark, lake, config, "tok-d4", true, Lake.SILVER_CLEAN, quiet).documents());
  }

  @Test
  void shardsMatchTheLayoutAndTheManifest(@TempDir Path dir) throws Exception {
    Map<String, String> docs = corpus(120, 40, 20, 0);
    Lake lake = new Lake(dir.resolve("a").toString());
    write(spark, lake, docs, SaveMode.ErrorIfExists);
    SieveConfig config = SieveConfig.parse("tokenize:\n  shard_tokens: 4000\n  validation_fraction: 0.1\n  seed: 7\n");
    TokenizeJob.Result r = TokenizeJob.run(spark, lake, config, "tok-1", false);
    assertEquals(docs.size(), r.documents());
    assertTrue(r.shards() >= 3, "several shards: " + r.shards());
    assertTrue(r.tokensBySplit().containsKey("validation") && r.tokensBySplit().containsKey("train"), r.tokensBySplit().toString());

    TokenizerAdapter cl100k = Tokenizers.open("tiktoken:cl100k_base");
    Map<String, String> byText = new HashMap<>();
    for (String t : docs.values()) byText.put(t, t);
    long manifestTokens = 0, parsedTokens = 0, parsedDocs = 0;
    for (Row m : DeltaTables.read(spark, lake.path(dev.sieve.core.Lake.GOLD_SHARD_MANIFEST)).collectAsList()) {
      String recorded = m.getAs("path");
      assertTrue(recorded.startsWith("gold/shards/default/tok-1/"), "recorded relative to the lake root: " + recorded);
      String prefix = lake.resolve(recorded);
      long[][] idx = parseIdx(Path.of(prefix + ".idx"));
      assertEquals(4, idx[0][0], "i32: cl100k has 100,277 ids");
      assertEquals((long) m.getAs("sequences"), idx[0][1]);
      assertEquals(idx[0][1] + 1, idx[0][2]);
      long sum = 0;
      for (long l : idx[1]) sum += l;
      assertEquals((long) m.getAs("tokens"), sum);
      byte[] bin = Files.readAllBytes(Path.of(prefix + ".bin"));
      assertEquals(sum * 4, bin.length);
      ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
      // The .docs sidecar: one line per sequence; its sources weighted by the sequences' tokens are the manifest's.
      List<dev.sieve.tokenize.ShardDocs.Doc> sidecar = dev.sieve.tokenize.ShardDocs.read(Path.of(prefix));
      assertEquals(idx[1].length, sidecar.size(), "one sidecar line per document");
      Map<String, Long> bySource = new java.util.TreeMap<>();
      Map<String, Long> byLanguage = new java.util.TreeMap<>();
      for (int s = 0; s < idx[1].length; s++) {
        bySource.merge(sidecar.get(s).source(), idx[1][s], Long::sum);
        byLanguage.merge(sidecar.get(s).language(), idx[1][s], Long::sum);
      }
      assertEquals(new java.util.TreeMap<>(m.<String, Long>getJavaMap(m.fieldIndex("tokens_by_source"))), bySource);
      assertEquals(new java.util.TreeMap<>(m.<String, Long>getJavaMap(m.fieldIndex("tokens_by_language"))), byLanguage);
      for (int s = 0; s < idx[1].length; s++) {
        assertEquals(idx[2][s], b.position());
        int[] ids = new int[(int) idx[1][s] - 1];
        for (int k = 0; k < ids.length; k++) ids[k] = b.getInt();
        assertEquals(cl100k.eotId(), b.getInt(), "each sequence ends with <|endoftext|>");
        assertTrue(byText.containsKey(cl100k.decode(ids)), "a sequence decodes to a document");
        parsedDocs++;
      }
      manifestTokens += (long) m.getAs("tokens");
      parsedTokens += sum;
      assertEquals("tiktoken:cl100k_base", m.getAs("tokenizer"));
      assertEquals("tok-1", m.getAs("run_id"));
    }
    assertEquals(r.tokens(), manifestTokens);
    assertEquals(manifestTokens, parsedTokens);
    assertEquals(docs.size(), parsedDocs, "natural mixture: every document once");
    assertTrue(ShardVerifier.verify(spark, lake, null).stream().allMatch(ShardVerifier.Check::ok));

    // Same input and seed, another lake and run: byte-identical shards.
    Lake other = new Lake(dir.resolve("b").toString());
    write(spark, other, docs, SaveMode.ErrorIfExists);
    TokenizeJob.run(spark, other, config, "tok-2", false);
    Map<String, byte[]> first = files(Path.of(lake.shardsPath("default"), "tok-1"));
    Map<String, byte[]> second = files(Path.of(other.shardsPath("default"), "tok-2"));
    assertEquals(first.keySet(), second.keySet());
    for (String k : first.keySet()) assertArrayEquals(first.get(k), second.get(k), k);

    // One flipped byte: verify names the shard.
    String victim = first.keySet().stream().filter(k -> k.endsWith(".bin")).findFirst().orElseThrow();
    Path file = Path.of(lake.shardsPath("default"), "tok-1", victim);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
    List<ShardVerifier.Check> bad = ShardVerifier.verify(spark, lake, null).stream().filter(c -> !c.ok()).toList();
    assertEquals(1, bad.size());
    assertTrue(bad.get(0).path().endsWith(victim.replace(".bin", "")), bad.get(0).path());
    assertTrue(bad.get(0).problems().get(0).contains("SHA-256"), bad.get(0).problems().toString());

    // Increment: new documents in silver/clean become a new batch; a rerun then has nothing to do.
    write(spark, other, corpus(10, 0, 0, 1000), SaveMode.Append);
    TokenizeJob.Result inc = TokenizeJob.run(spark, other, config, "tok-3", false);
    assertEquals(10, inc.documents());
    assertEquals(0, TokenizeJob.run(spark, other, config, "tok-4", false).documents());
  }

  @Test
  void temperatureSamplingFlattensTheLanguageMix(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    write(spark, lake, corpus(150, 30, 10, 0), SaveMode.ErrorIfExists);
    TokenizeJob.Result natural = TokenizeJob.run(spark, lake, SieveConfig.parse("tokenize:\n  validation_fraction: 0\n"), "nat", false);
    TokenizeJob.Result flat = TokenizeJob.run(spark, lake,
        SieveConfig.parse("tokenize:\n  validation_fraction: 0\n  dataset: mixed\n  mixture: {mode: temperature, alpha: 0.3}\n"), "temp", false);
    double deNatural = natural.languageShares().get("de");
    double deFlat = flat.languageShares().get("de");
    assertTrue(deFlat > 1.5 * deNatural, "German up-sampled: " + deNatural + " -> " + deFlat);
    // Temperature 0.3 over token counts: target share n_de^0.3 / sum n_g^0.3, realised within sampling noise.
    double total = natural.languageShares().values().stream().mapToDouble(x -> Math.pow(x, 0.3)).sum();
    double target = Math.pow(deNatural, 0.3) / total;
    assertEquals(target, deFlat, 0.05, "realised German share vs target " + target);
    assertTrue(flat.languageShares().get("en") < natural.languageShares().get("en"));
  }

  static Map<String, byte[]> files(Path root) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (var walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        out.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
