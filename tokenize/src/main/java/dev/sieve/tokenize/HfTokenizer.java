package dev.sieve.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} on the local disk, run by the Rust {@code tokenizers}
 * library through DJL's binding (the native library ships inside the DJL jar and is unpacked to
 * DJL's cache directory on first use; {@code ai.djl.offline=true} is set so that DJL never tries
 * to download it).
 *
 * <p>The vocabulary size and the end-of-text id are read from the JSON file itself (largest id in
 * {@code model.vocab} and {@code added_tokens}, plus one). The end-of-text token is the configured
 * one, else {@code <|endoftext|>}, else {@code </s>}. Unlike {@link TiktokenTokenizer}, the Rust
 * library always matches added tokens, so a document containing the literal text {@code
 * <|endoftext|>} gets that id in its body.
 */
public final class HfTokenizer implements TokenizerAdapter {
  /** Tried in order when no end-of-text token is configured. */
  public static final List<String> DEFAULT_EOT_TOKENS = List.of("<|endoftext|>", "</s>");

  static {
    if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
  }

  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final int vocabSize;
  private final int eot;
  private final String version;

  private HfTokenizer(Path file, String eotToken) throws IOException {
    this.file = file;
    byte[] json = Files.readAllBytes(file);
    this.version = "sha256:" + sha256(json).substring(0, 16);
    Map<String, Integer> ids = tokenIds(new ObjectMapper().readTree(json));
    int max = -1;
    for (int id : ids.values()) max = Math.max(max, id);
    this.vocabSize = max + 1;
    List<String> candidates = eotToken == null || eotToken.isEmpty() ? DEFAULT_EOT_TOKENS : List.of(eotToken);
    Integer e = null;
    for (String c : candidates) {
      e = ids.get(c);
      if (e != null) break;
    }
    if (e == null) throw new IllegalArgumentException(file + " has no end-of-text token " + candidates);
    this.eot = e;
    Map<String, String> options = new LinkedHashMap<>();
    options.put("addSpecialTokens", "false");
    options.put("truncation", "false");
    options.put("padding", "false");
    this.tokenizer = HuggingFaceTokenizer.newInstance(file, options);
  }

  /** Loads {@code tokenizer.json}; the end-of-text token is {@code <|endoftext|>} or {@code </s>}. */
  public static HfTokenizer load(Path tokenizerJson) {
    return load(tokenizerJson, null);
  }

  /** Loads {@code tokenizer.json} with the given end-of-text token ({@code null}: the defaults). */
  public static HfTokenizer load(Path tokenizerJson, String eotToken) {
    if (!Files.isRegularFile(tokenizerJson)) throw new IllegalArgumentException("tokenizer file not found: " + tokenizerJson);
    try {
      return new HfTokenizer(tokenizerJson, eotToken);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load tokenizer " + tokenizerJson, e);
    }
  }

  private static Map<String, Integer> tokenIds(JsonNode root) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> en = it.next();
        ids.put(en.getKey(), en.getValue().asInt());
      }
    } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
      for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i).get(0).asText(), i);
    }
    for (JsonNode t : root.path("added_tokens")) ids.put(t.path("content").asText(), t.path("id").asInt());
    return ids;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String name() {
    return "hf:" + file.getFileName();
  }

  /** The first 16 hex digits of the SHA-256 of {@code tokenizer.json}. */
  @Override
  public String version() {
    return version;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int eotId() {
    return eot;
  }

  @Override
  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
    return out;
  }

  @Override
  public String decode(int[] tokens) {
    long[] ids = new long[tokens.length];
    for (int i = 0; i < tokens.length; i++) ids[i] = tokens[i];
    return tokenizer.decode(ids, false);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
