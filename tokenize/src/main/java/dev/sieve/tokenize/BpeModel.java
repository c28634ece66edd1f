package dev.sieve.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained byte-level BPE vocabulary: ids 0..255 are the bytes, then one id per merge result
 * (in merge order), then the special tokens. {@link #toTokenizerJson} writes it in the Hugging
 * Face {@code tokenizer.json} format; {@link #encode} is a pure-Java reference encoder that gives
 * the same ids as the Hugging Face library on that file (tests compare both).
 */
public final class BpeModel {
  private final List<byte[]> tokens;
  private final List<int[]> merges;
  private final List<String> specialTokens;
  private final LongLongMap rank = new LongLongMap(1024);

  BpeModel(List<byte[]> tokens, List<int[]> merges, List<String> specialTokens) {
    this.tokens = List.copyOf(tokens);
    this.merges = List.copyOf(merges);
    this.specialTokens = List.copyOf(specialTokens);
    for (int r = 0; r < merges.size(); r++) {
      int[] m = merges.get(r);
      rank.put(pair(m[0], m[1]), r);
    }
  }

  private static long pair(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  /** Bytes + merged tokens + special tokens. */
  public int vocabSize() {
    return tokens.size() + specialTokens.size();
  }

  public int mergeCount() {
    return merges.size();
  }

  /** The id of a special token, or -1. */
  public int specialId(String token) {
    int i = specialTokens.indexOf(token);
    return i < 0 ? -1 : tokens.size() + i;
  }

  /** The bytes of a (non-special) token. */
  public byte[] tokenBytes(int id) {
    return tokens.get(id).clone();
  }

  /** The vocabulary string of a token (byte-level characters, or the special token itself). */
  public String tokenString(int id) {
    return id >= tokens.size() ? specialTokens.get(id - tokens.size()) : ByteLevel.encode(tokens.get(id));
  }

  /** Encodes with the merges in rank order inside each {@link BpeTrainer#chunks chunk}; special tokens are text. */
  public int[] encode(String text) {
    List<Integer> out = new ArrayList<>();
    BpeTrainer.forEachChunk(text, chunk -> {
      byte[] b = chunk.getBytes(StandardCharsets.UTF_8);
      int[] s = new int[b.length];
      for (int i = 0; i < b.length; i++) s[i] = b[i] & 0xFF;
      int len = s.length;
      while (len > 1) {
        long bestRank = Long.MAX_VALUE;
        for (int j = 0; j + 1 < len; j++) {
          long r = rank.get(pair(s[j], s[j + 1]), Long.MAX_VALUE);
          if (r < bestRank) bestRank = r;
        }
        if (bestRank == Long.MAX_VALUE) break;
        int[] m = merges.get((int) bestRank);
        int z = resultOf((int) bestRank);
        int o = 0;
        for (int j = 0; j < len; ) {
          if (j + 1 < len && s[j] == m[0] && s[j + 1] == m[1]) {
            s[o++] = z;
            j += 2;
          } else {
            s[o++] = s[j++];
          }
        }
        len = o;
      }
      for (int i = 0; i < len; i++) out.add(s[i]);
    });
    int[] r = new int[out.size()];
    for (int i = 0; i < r.length; i++) r[i] = out.get(i);
    return r;
  }

  private int[] mergeResult;

  private int resultOf(int mergeRank) {
    if (mergeResult == null) {
      java.util.Map<String, Integer> idOf = new java.util.HashMap<>();
      for (int i = 0; i < tokens.size(); i++) idOf.putIfAbsent(ByteLevel.encode(tokens.get(i)), i);
      int[] res = new int[merges.size()];
      for (int r = 0; r < res.length; r++) {
        int[] m = merges.get(r);
        byte[] a = tokens.get(m[0]);
        byte[] b = tokens.get(m[1]);
        byte[] ab = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        res[r] = idOf.get(ByteLevel.encode(ab));
      }
      mergeResult = res;
    }
    return mergeResult[mergeRank];
  }

  public String decode(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      if (id >= tokens.size()) out.writeBytes(specialTokens.get(id - tokens.size()).getBytes(StandardCharsets.UTF_8));
      else out.writeBytes(tokens.get(id));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The Hugging Face {@code tokenizer.json}: no normalizer; pre-tokenizer {@code Sequence[Split(
   * BpeTrainer.PATTERN, Isolated), ByteLevel(add_prefix_space=false, use_regex=false)]}; model
   * {@code BPE} with the vocabulary and merges ({@code "left right"} strings); decoder {@code
   * ByteLevel}; the special tokens as {@code added_tokens} (special, never normalized).
   */
  public String toTokenizerJson() {
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = om.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < specialTokens.size(); i++) {
      ObjectNode t = added.addObject();
      t.put("id", tokens.size() + i);
      t.put("content", specialTokens.get(i));
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Sequence");
    ArrayNode steps = pre.putArray("pretokenizers");
    ObjectNode split = steps.addObject();
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", BpeTrainer.PATTERN);
    split.put("behavior", "Isolated");
    split.put("invert", false);
    steps.add(byteLevel(om));
    root.putNull("post_processor");
    root.set("decoder", byteLevel(om));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode vocab = model.putObject("vocab");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      String s = ByteLevel.encode(tokens.get(i));
      if (seen.add(s)) vocab.put(s, i);
    }
    ArrayNode m = model.putArray("merges");
    for (int[] mg : merges) m.add(ByteLevel.encode(tokens.get(mg[0])) + " " + ByteLevel.encode(tokens.get(mg[1])));
    try {
      return om.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode byteLevel(ObjectMapper om) {
    ObjectNode b = om.createObjectNode();
    b.put("type", "ByteLevel");
    b.put("add_prefix_space", false);
    b.put("trim_offsets", true);
    b.put("use_regex", false);
    return b;
  }

  /** Writes {@link #toTokenizerJson} to {@code file} (UTF-8), creating parent folders. */
  public void writeTokenizerJson(Path file) {
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      Files.writeString(file, toTokenizerJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
