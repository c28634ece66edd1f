package dev.sieve.tokenize;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * OpenAI's {@code cl100k_base} (GPT-4) or {@code o200k_base} (GPT-4o) through jtokkit; the
 * vocabularies ship inside the jtokkit jar, so nothing is downloaded.
 *
 * <p>Text is encoded with {@code encodeOrdinary}: a literal {@code <|endoftext|>} inside a
 * document stays text and never becomes the end-of-text id (which only the writer appends).
 */
public final class TiktokenTokenizer implements TokenizerAdapter {
  /** jtokkit's version, part of {@link #version()}. */
  public static final String JTOKKIT_VERSION = "1.1.0";

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  /** Per encoding: {@code <|endoftext|>} id and vocabulary size (largest special id + 1), from tiktoken. */
  private static final Map<String, int[]> SPECS = Map.of(
      "cl100k_base", new int[] {100257, 100277},
      "o200k_base", new int[] {199999, 200019});

  private static final String EOT = "<|endoftext|>";

  private final Encoding encoding;
  private final String encodingName;
  private final int eot;
  private final int vocabSize;

  private TiktokenTokenizer(String encodingName) {
    int[] spec = SPECS.get(encodingName);
    EncodingType type = EncodingType.fromName(encodingName).orElse(null);
    if (spec == null || type == null) {
      throw new IllegalArgumentException("unknown tiktoken encoding '" + encodingName + "' (known: cl100k_base, o200k_base)");
    }
    this.encoding = REGISTRY.getEncoding(type);
    this.encodingName = encodingName;
    this.eot = spec[0];
    this.vocabSize = spec[1];
  }

  /** {@code cl100k_base} or {@code o200k_base}. */
  public static TiktokenTokenizer of(String encodingName) {
    return new TiktokenTokenizer(encodingName);
  }

  @Override
  public String name() {
    return "tiktoken:" + encodingName;
  }

  @Override
  public String version() {
    return "jtokkit-" + JTOKKIT_VERSION + "/" + encodingName;
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
    return encoding.encodeOrdinary(text).toArray();
  }

  /** Decodes the bytes of all tokens, then UTF-8 (so a character split across tokens survives). */
  @Override
  public String decode(int[] tokens) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(tokens.length * 4);
    IntArrayList run = new IntArrayList(tokens.length);
    for (int t : tokens) {
      if (t == eot) {
        flush(run, out);
        out.writeBytes(EOT.getBytes(StandardCharsets.UTF_8));
      } else {
        run.add(t);
      }
    }
    flush(run, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private void flush(IntArrayList run, ByteArrayOutputStream out) {
    if (run.isEmpty()) return;
    out.writeBytes(encoding.decodeBytes(run));
    run.clear();
  }
}
