package dev.sieve.tokenize.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Conversation;
import dev.sieve.core.Conversation.Turn;
import dev.sieve.core.Doc;
import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.tokenize.ChatTemplate;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversations in silver/clean become SFT sequences with a .mask sidecar; plain documents beside them are unaffected. */
class SftShardsTest {
  private final SparkSession spark = TestSpark.session();

  static final String[] NAMES = {"Anna", "Ben", "Chen", "Dora", "Emil", "Fay", "Gus", "Hana", "Ivo", "Jun"};

  /** 30 conversations (two of them with a system turn and two exchanges) and 20 plain documents. */
  static Map<String, Conversation> chats() {
    Map<String, Conversation> out = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      String n = NAMES[i % NAMES.length] + i;
      List<Turn> turns = new ArrayList<>();
      if (i % 15 == 0) turns.add(new Turn("system", "You are polite."));
      turns.add(new Turn("user", "Say hello to " + n + "."));
      turns.add(new Turn("assistant", "Hello, " + n + "!"));
      if (i % 15 == 0) {
        turns.add(new Turn("user", "And goodbye?"));
        turns.add(new Turn("assistant", "Goodbye, " + n + "."));
      }
      out.put(String.format("chat-%02d", i), new Conversation(turns));
    }
    return out;
  }

  static void write(SparkSession spark, Lake lake, Map<String, Conversation> chats, Map<String, String> plain) {
    List<Row> rows = new ArrayList<>();
    Map<String, String> texts = new TreeMap<>(plain);
    chats.forEach((k, c) -> texts.put(k, c.text()));
    for (Map.Entry<String, String> e : texts.entrySet()) {
      boolean chat = chats.containsKey(e.getKey());
      Doc d = Doc.builder().docId(e.getKey()).source(chat ? "chat" : "commoncrawl").language("en").languageScore(1).text(e.getValue())
          .metadata(chat ? Map.of(Conversation.METADATA_KEY, "chat") : Map.of()).sourceOffset(0).runId("pii-test").build();
      rows.add(TokenizeJobTest.cleanRow(d));
    }
    spark.createDataFrame(rows, TokenizeJobTest.CLEAN).write().format("delta").mode(SaveMode.ErrorIfExists).save(lake.path(Lake.SILVER_CLEAN));
  }

  @Test
  void conversationsGetAMaskOnAssistantTokensOnlyAndShardsAreByteIdentical(@TempDir Path dir) throws Exception {
    Map<String, Conversation> chats = chats();
    Map<String, String> plain = new TreeMap<>();
    TokenizeJobTest.corpus(20, 0, 0, 0).forEach(plain::put);
    Lake lake = new Lake(dir.resolve("a").toString());
    write(spark, lake, chats, plain);
    SieveConfig config = SieveConfig.parse("tokenize:\n  shard_tokens: 1500\n  validation_fraction: 0.1\n  seed: 7\n  dataset: sft\n");
    TokenizeJob.Result r = TokenizeJob.run(spark, lake, config, "tok-sft", false);
    assertEquals(50, r.documents(), "every document once");
    assertEquals(50, r.sequences());

    Map<String, Conversation> byRender = new HashMap<>();
    chats.values().forEach(c -> byRender.put(ChatTemplate.CHATML.render(c), c));
    Map<String, String> plainByText = new HashMap<>();
    plain.values().forEach(t -> plainByText.put(t, t));
    int chatSeqs = 0, plainSeqs = 0, masks = 0;
    try (TokenizerAdapter tok = Tokenizers.open("tiktoken:cl100k_base")) {
      for (Row m : DeltaTables.read(spark, lake.path(Lake.GOLD_SHARD_MANIFEST)).collectAsList()) {
        String prefix = lake.resolve(m.getAs("path"));
        long[][] idx = TokenizeJobTest.parseIdx(Path.of(prefix + ".idx"));
        ByteBuffer bin = ByteBuffer.wrap(Files.readAllBytes(Path.of(prefix + ".bin"))).order(ByteOrder.LITTLE_ENDIAN);
        Path maskFile = Path.of(prefix + ".mask");
        byte[] mask = Files.exists(maskFile) ? Files.readAllBytes(maskFile) : null;
        if (mask != null) {
          masks++;
          assertEquals(bin.capacity() / 4, mask.length, "one mask byte per token");
        }
        int pos = 0;
        for (long len : idx[1]) {
          int[] ids = new int[(int) len - 1];
          for (int k = 0; k < ids.length; k++) ids[k] = bin.getInt();
          assertEquals(tok.eotId(), bin.getInt());
          String text = tok.decode(ids);
          Conversation c = byRender.get(text);
          if (c != null) {
            chatSeqs++;
            assertTrue(mask != null, "a shard with a conversation has a mask");
            StringBuilder trained = new StringBuilder(), answers = new StringBuilder();
            for (int k = 0; k < ids.length; k++) if (mask[pos + k] == 1) trained.append(tok.decode(new int[] {ids[k]}));
            for (Turn t : c.turns()) if (t.role().equals("assistant")) answers.append(t.content()).append("<|im_end|>");
            assertEquals(answers.toString(), trained.toString(), "trained on the answers and their <|im_end|>, nothing else");
            assertEquals(0, mask[pos + ids.length], "the end-of-text is not trained on");
            for (Turn t : c.turns()) if (!t.role().equals("assistant")) assertFalse(trained.toString().contains(t.content()));
          } else {
            assertTrue(plainByText.containsKey(text), "a plain document as it was");
            plainSeqs++;
            if (mask != null) for (int k = 0; k <= ids.length; k++) assertEquals(1, mask[pos + k], "a plain document is trained on whole");
          }
          pos += (int) len;
        }
      }
    }
    assertEquals(30, chatSeqs);
    assertEquals(20, plainSeqs);
    assertTrue(masks >= 1);
    Path batch = Path.of(lake.shardsPath("sft"), "tok-sft");
    assertEquals(ChatTemplate.CHATML, ChatTemplate.fromJson(Files.readString(batch.resolve(ChatTemplate.FILE), StandardCharsets.UTF_8)));

    // Same input and seed in another lake: byte-identical shards, masks and template.
    Lake other = new Lake(dir.resolve("b").toString());
    write(spark, other, chats, plain);
    TokenizeJob.run(spark, other, config, "tok-sft", false);
    Map<String, byte[]> first = TokenizeJobTest.files(batch);
    Map<String, byte[]> second = TokenizeJobTest.files(Path.of(other.shardsPath("sft"), "tok-sft"));
    assertEquals(first.keySet(), second.keySet());
    assertTrue(first.keySet().stream().anyMatch(k -> k.endsWith(".mask")), first.keySet().toString());
    for (String k : first.keySet()) assertArrayEquals(first.get(k), second.get(k), k);

    // select: conversations makes an SFT-only dataset of the same table; the plain documents are counted not_selected.
    TokenizeJob.Result only = TokenizeJob.run(spark, lake,
        SieveConfig.parse("tokenize:\n  validation_fraction: 0\n  dataset: chats\n  select: conversations\n"), "tok-chats", false);
    assertEquals(30, only.documents());
    Row counts = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'tok-chats'").select("count_in", "count_out", "counts", "dropped")
        .first();
    assertEquals(50L, counts.getLong(0));
    assertEquals(30L, counts.getLong(1));
    assertEquals(30L, counts.<String, Long>getJavaMap(2).get("conversations"));
    assertEquals(20L, counts.<String, Long>getJavaMap(3).get("not_selected"));
  }
}
