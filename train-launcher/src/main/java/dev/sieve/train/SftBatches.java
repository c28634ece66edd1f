package dev.sieve.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.tokenize.TokenizerAdapter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Supervised fine-tuning examples from JSONL: each line's prompt and response are tokenized with
 * the job's tokenizer into {@code prompt ++ response ++ <eot>}, cut or padded (with the
 * end-of-text id) to {@code seqLength + 1} tokens; the loss counts only labels inside the
 * response (and its closing end-of-text), never prompt tokens or padding. Example order: each
 * epoch is a permutation drawn from {@code (seed, epoch)}.
 *
 * <p>A line may instead be a chat, {@code {"messages": [{"role": "user", "content": "..."}, ...,
 * {"role": "assistant", "content": "..."}]}} (the OpenAI/Hugging Face chat layout; used when the
 * line has no prompt field): the response is the last assistant message, the prompt every message
 * before it rendered as {@code "<role>: <content>\n"}, then {@code "assistant: "} ({@link #chatPrompt}).
 */
public final class SftBatches implements Batches {
  private final int[][] tokens;
  private final float[][] masks;
  private final long seed;

  public SftBatches(Path jsonl, String promptField, String responseField, TokenizerAdapter tokenizer, int seqLength, long seed) {
    this.seed = seed;
    List<int[]> ts = new ArrayList<>();
    List<float[]> ms = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) continue;
        JsonNode n = json.readTree(line);
        String prompt;
        String response;
        if (!n.has(promptField) && n.path("messages").isArray()) {
          String[] pr = chat(n.get("messages"));
          if (pr == null) throw new IllegalArgumentException(jsonl + " line " + no + ": a chat needs an assistant message with string 'role' and 'content'");
          prompt = pr[0];
          response = pr[1];
        } else if (!n.hasNonNull(promptField) || !n.hasNonNull(responseField)) {
          throw new IllegalArgumentException(jsonl + " line " + no + ": needs string fields '" + promptField + "' and '" + responseField + "' (or a chat's 'messages')");
        } else {
          prompt = n.get(promptField).asText();
          response = n.get(responseField).asText();
        }
        int[] p = tokenizer.encode(prompt);
        int[] a = tokenizer.encode(response);
        int[] seq = new int[seqLength + 1];
        Arrays.fill(seq, tokenizer.eotId());
        float[] mask = new float[seqLength];
        int len = Math.min(seq.length, p.length + a.length + 1);
        for (int i = 0; i < len; i++) {
          seq[i] = i < p.length ? p[i] : i < p.length + a.length ? a[i - p.length] : tokenizer.eotId();
        }
        // label at input position i is seq[i + 1]: counted when it belongs to the response or its eot
        for (int i = 0; i < seqLength; i++) mask[i] = (i + 1 >= p.length && i + 1 < len) ? 1f : 0f;
        ts.add(seq);
        ms.add(mask);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read SFT data " + jsonl, e);
    }
    if (ts.isEmpty()) throw new IllegalArgumentException("no SFT examples in " + jsonl);
    tokens = ts.toArray(new int[0][]);
    masks = ms.toArray(new float[0][]);
  }

  /** A chat's {prompt, response}: see the class comment; null without an assistant message or with a malformed one. */
  static String[] chat(JsonNode messages) {
    int last = -1;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      if (!m.path("role").isTextual() || !m.path("content").isTextual()) return null;
      if (m.get("role").asText().equals("assistant")) last = i;
    }
    if (last < 0) return null;
    StringBuilder prompt = new StringBuilder();
    for (int i = 0; i < last; i++) prompt.append(chatTurn(messages.get(i).get("role").asText(), messages.get(i).get("content").asText()));
    return new String[] {prompt.append(chatPrompt()).toString(), messages.get(last).get("content").asText()};
  }

  /** One rendered chat turn: {@code "<role>: <content>\n"}. */
  public static String chatTurn(String role, String content) {
    return role + ": " + content + "\n";
  }

  /** What a chat prompt ends with, where the assistant's answer starts: {@code "assistant: "} (give it to {@code sieve train generate}). */
  public static String chatPrompt() {
    return "assistant: ";
  }

  private int example(long served) {
    return permuted(seed, served, tokens.length);
  }

  /** Which of {@code n} examples is served {@code served}-th: each epoch a permutation drawn from {@code (seed, epoch)}. */
  static int permuted(long seed, long served, int n) {
    long epoch = served / n;
    int pos = (int) (served % n);
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) perm[i] = i;
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm[pos];
  }

  @Override
  public Batch batch(long index, int rows) {
    int[][] t = new int[rows][];
    float[][] m = new float[rows][];
    for (int r = 0; r < rows; r++) {
      int e = example(index * rows + r);
      t[r] = tokens[e];
      m[r] = masks[e];
    }
    return new Batch(t, m);
  }

  /** Micro-batch {@code index} in file order (evaluation: always the same examples). */
  public Batch inOrder(long index, int rows) {
    int[][] t = new int[rows][];
    float[][] m = new float[rows][];
    for (int r = 0; r < rows; r++) {
      int e = (int) ((index * rows + r) % tokens.length);
      t[r] = tokens[e];
      m[r] = masks[e];
    }
    return new Batch(t, m);
  }

  public int size() {
    return tokens.length;
  }

  @Override
  public long samples() {
    return Long.MAX_VALUE;
  }
}
