package dev.sieve.tokenize.spark;

import dev.sieve.core.Conversation;
import dev.sieve.core.spark.Partitions;
import dev.sieve.tokenize.ChatTemplate;
import dev.sieve.tokenize.Splits;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.TokenizerSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of tokenize, phase 1: each document's split (by doc_id hash) and tokens with the
 * end-of-text token appended, as little-endian int32 bytes. Mixture copies are decided afterwards
 * from the groups' token counts (train split only; validation keeps the natural distribution).
 *
 * <p>A conversation (an instruction record: {@code conversation} true) is parsed from its canonical
 * text ({@link Conversation#parse}) and rendered through the dataset's {@link ChatTemplate}; its
 * tokens that are not trained on (every one but the assistant's contents and turn ends, the
 * end-of-text included) carry bit 31 ({@link #UNTRAINED}), which {@link WriteShards} turns into the
 * shard's {@code .mask}. Token ids are below 2^24 for every tokenizer Sieve reads, so the bit is free.
 * A conversation whose text no longer parses (a later stage broke its markers) is tokenized as a
 * plain document and counted ({@code conversations_unparsed}).
 */
final class TokenizeDocs implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** The flag of a token not trained on, in {@code tokens}. */
  static final int UNTRAINED = 0x80000000;

  /** Input: {@code doc_id, text, source, language, grp, conversation}. */
  static final StructType OUTPUT = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("split", DataTypes.StringType, false)
      .add("source", DataTypes.StringType, true)
      .add("language", DataTypes.StringType, true)
      .add("grp", DataTypes.StringType, false)
      .add("n_tokens", DataTypes.LongType, false)
      .add("tokens", DataTypes.BinaryType, false);

  /**
   * Prefix of an executor spec naming a driver-local tokenizer.json (named after its content hash)
   * whose bytes travel in the task closure and are written to the executor's temp folder.
   */
  static final String SHIPPED = "hf-shipped:";

  private final String tokenizerSpec;
  /** The shipped tokenizer.json's bytes (read on the driver), or null for other specs. */
  private final byte[] shipped;
  private final String eotToken;
  private final Splits splits;
  private final LongAccumulator docs;
  private final LongAccumulator tokens;
  private final ChatTemplate template;
  private final LongAccumulator conversations;
  private final LongAccumulator unparsed;

  TokenizeDocs(String tokenizerSpec, String eotToken, Splits splits, LongAccumulator docs, LongAccumulator tokens, ChatTemplate template,
               LongAccumulator conversations, LongAccumulator unparsed) {
    this.template = template;
    this.conversations = conversations;
    this.unparsed = unparsed;
    this.tokenizerSpec = tokenizerSpec;
    try {
      this.shipped = tokenizerSpec.startsWith(SHIPPED)
          ? java.nio.file.Files.readAllBytes(java.nio.file.Path.of(tokenizerSpec.substring(SHIPPED.length()))) : null;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read tokenizer " + tokenizerSpec.substring(SHIPPED.length()), e);
    }
    this.eotToken = eotToken;
    this.splits = splits;
    this.docs = docs;
    this.tokens = tokens;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    TokenizerAdapter tok = shipped != null
        ? new TokenizerSpec(TokenizerSpec.HF, local().toString()).open(eotToken)
        : TokenizerSpec.parse(tokenizerSpec).open(eotToken);
    return Partitions.map(rows, r -> tokenize(r, tok), tok);
  }

  /** The shipped tokenizer.json in this JVM's temp folder (same name as on the driver: its content hash), written once. */
  private java.nio.file.Path local() {
    java.nio.file.Path name = java.nio.file.Path.of(tokenizerSpec.substring(SHIPPED.length())).getFileName();
    java.nio.file.Path local = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "sieve-tokenizers").resolve(name);
    return dev.sieve.core.LocalFiles.writeOnce(local, shipped, "tokenizer");
  }

  private ChatTemplate.Encoded conversation(String text, TokenizerAdapter tok) {
    Conversation c;
    try {
      c = Conversation.parse(text);
    } catch (IllegalArgumentException e) {
      unparsed.add(1);
      return null;
    }
    conversations.add(1);
    return template.encode(c, tok);
  }

  private Row tokenize(Row r, TokenizerAdapter tok) {
    String docId = r.getString(0);
    String group = r.getString(4);
    String split = splits.split(docId);
    ChatTemplate.Encoded chat = r.getBoolean(5) ? conversation(r.getString(1), tok) : null;
    int[] ids = chat != null ? chat.tokens() : tok.encode(r.getString(1));
    ByteBuffer b = ByteBuffer.allocate((ids.length + 1) * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < ids.length; i++) b.putInt(chat == null || chat.trained()[i] ? ids[i] : ids[i] | UNTRAINED);
    b.putInt(chat == null ? tok.eotId() : tok.eotId() | UNTRAINED);
    docs.add(1);
    tokens.add(ids.length + 1L);
    return RowFactory.create(docId, split, r.getString(2), r.getString(3), group, ids.length + 1L, b.array());
  }
}
