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
 * one, else {@code <|endoftext|>}, else {@code </s>}.
 *
 * <p>Special tokens in a document are text, as with {@link TiktokenTokenizer}'s {@code
 * encodeOrdinary}: the Rust library matches every entry of {@code added_tokens} anywhere in the
 * input, so the tokenizer is loaded from a copy of the file without the added tokens marked
 * {@code special} (and without the end-of-text token); a literal {@code <|endoftext|>} in a
 * document then goes through the pre-tokenizer and the model like any other text, and only the
 * writer appends the end-of-text id. Non-special added tokens (words a model added to its
 * vocabulary) still match. Should the model itself still give a special id for some text (a
 * word-level or unigram vocabulary holding the token as an ordinary entry), that text is encoded
 * in smaller pieces until no special id is left. {@link #decode} writes special ids as their text.
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
  /** Special token text by id: the added tokens taken out of the copy the Rust library loads. */
  private final Map<Integer, String> specials = new java.util.HashMap<>();

  private HfTokenizer(Path file, String eotToken) throws IOException {
    this.file = file;
    byte[] json = Files.readAllBytes(file);
    this.version = "sha256:" + sha256(json).substring(0, 16);
    ObjectMapper om = new ObjectMapper();
    JsonNode root = om.readTree(json);
    Map<String, Integer> ids = tokenIds(root);
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
    String eotText = null;
    for (Map.Entry<String, Integer> en : ids.entrySet()) if (en.getValue() == eot) eotText = en.getKey();
    java.util.Set<String> modelVocab = new java.util.HashSet<>();
    root.path("model").path("vocab").fieldNames().forEachRemaining(modelVocab::add);
    com.fasterxml.jackson.databind.node.ArrayNode kept = om.createArrayNode();
    for (JsonNode t : root.path("added_tokens")) {
      String content = t.path("content").asText();
      if (t.path("special").asBoolean(false) || content.equals(eotText)) {
        int id = t.path("id").asInt();
        specials.put(id, content);
        // A token the model's vocabulary holds keeps its id without the entry; any other keeps its
        // id slot (the library numbers added tokens in order) under text no document holds.
        if (!modelVocab.contains(content)) kept.add(((com.fasterxml.jackson.databind.node.ObjectNode) t.deepCopy()).put("content", UNMATCHABLE + id + "\uFFFF"));
      } else {
        kept.add(t);
      }
    }
    if (specials.isEmpty()) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(file, options);
    } else {
      ((com.fasterxml.jackson.databind.node.ObjectNode) root).set("added_tokens", kept);
      try (java.io.InputStream in = new java.io.ByteArrayInputStream(om.writeValueAsBytes(root))) {
        this.tokenizer = HuggingFaceTokenizer.newInstance(in, options);
      }
    }
  }

  /** Placeholder text (noncharacters) for special added tokens the model's vocabulary lacks. */
  private static final String UNMATCHABLE = "\uFFFF\uFFFEsieve-special-";

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

  /** Encodes {@code text} as ordinary text: the result never holds a special token's id. */
  @Override
  public int[] encode(String text) {
    int[] out = raw(text);
    if (specials.isEmpty() || !hasSpecial(out)) return out;
    List<Integer> ids = new java.util.ArrayList<>();
    encodeWithoutSpecials(text, ids);
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  private int[] raw(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
    return out;
  }

  private boolean hasSpecial(int[] ids) {
    for (int id : ids) if (specials.containsKey(id)) return true;
    return false;
  }

  /**
   * The fallback: the text between literal special tokens is encoded on its own, and each literal
   * in halves until no piece gives a special id (a single character never does).
   */
  private void encodeWithoutSpecials(String text, List<Integer> out) {
    int at = -1, len = 0;
    for (String s : specials.values()) {
      int i = text.indexOf(s);
      if (i >= 0 && (at < 0 || i < at || (i == at && s.length() > len))) {
        at = i;
        len = s.length();
      }
    }
    if (at < 0) {
      halves(text, out);
      return;
    }
    if (at > 0) halves(text.substring(0, at), out);
    halves(text.substring(at, at + len), out);
    if (at + len < text.length()) encodeWithoutSpecials(text.substring(at + len), out);
  }

  private void halves(String text, List<Integer> out) {
    int[] ids = raw(text);
    int n = text.codePointCount(0, text.length());
    if (!hasSpecial(ids) || n < 2) {
      for (int id : ids) if (!specials.containsKey(id)) out.add(id);
      return;
    }
    int mid = text.offsetByCodePoints(0, n / 2);
    halves(text.substring(0, mid), out);
    halves(text.substring(mid), out);
  }

  /** Decodes the ids, special ids (the end-of-text id among them) written as their text. */
  @Override
  public String decode(int[] tokens) {
    StringBuilder sb = new StringBuilder();
    int from = 0;
    for (int i = 0; i <= tokens.length; i++) {
      String special = i < tokens.length ? specials.get(tokens[i]) : null;
      if (i == tokens.length || special != null) {
        if (i > from) {
          long[] ids = new long[i - from];
          for (int k = from; k < i; k++) ids[k - from] = tokens[k];
          sb.append(tokenizer.decode(ids, false));
        }
        if (special != null) sb.append(special);
        from = i + 1;
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
