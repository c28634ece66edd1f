package dev.sieve.ingest;

import com.github.jfasttext.JFastText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Offline language identification with fastText's {@code lid.176} model (Joulin et al. 2016,
 * "Bag of Tricks for Efficient Text Classification" and "FastText.zip"; 176 languages), the
 * identifier FineWeb, CCNet and datatrove use, so that {@link Result#score()} is the same
 * probability FineWeb thresholds (0.65). The quantized model ({@code lid.176.ftz}, 938,013 bytes,
 * CC BY-SA 3.0, Facebook AI Research) ships inside this module as a resource and is read through
 * the jfasttext JNI binding; nothing is downloaded.
 *
 * <p>Codes are ISO 639-1 where one exists, ISO 639-3 otherwise. The model's labels are mostly
 * ISO 639-1 already; the others map as follows:
 *
 * <ul>
 *   <li>Chinese varieties are {@code zh}: {@code wuu} (Wu), {@code yue} (Cantonese) and any
 *       {@code zh-*} label, whatever the script;
 *   <li>members of a macrolanguage that has an ISO 639-1 code take it: {@code arz} (Egyptian
 *       Arabic) → {@code ar}, {@code azb} (South Azerbaijani) → {@code az}, {@code ckb} (Central
 *       Kurdish) → {@code ku};
 *   <li>Wikipedia codes that are not the ISO 639-3 code of the language: {@code als} (Alemannic;
 *       ISO's {@code als} is Tosk Albanian) → {@code gsw};
 *   <li>every other three-letter label is already ISO 639-3 (or 639-2/5 for a collective:
 *       {@code ceb}, {@code war}, {@code ilo}, {@code nds}, {@code pnb}, {@code min}, {@code nah},
 *       {@code eml}, ...) and is kept; so are the deprecated 639-1 codes the model uses ({@code
 *       sh}, {@code bh}).
 * </ul>
 *
 * <p>Text that is mostly Han characters without kana is {@code zh} even when the model says
 * {@code ja} (Japanese written in kanji alone is rare; short Chinese snippets are often taken for
 * it); the score is then the share of Han letters. Only the first {@code sampleChars} characters
 * are looked at, newlines made spaces (fastText reads one line).
 *
 * <p>The model file is extracted once per JVM (a Spark executor) to the temp directory under a
 * content-addressed name, moved into place atomically, and loaded lazily. jfasttext 0.5's fastText
 * keeps scratch vectors inside the model, so one loaded model serves one thread at a time: the
 * loaded models live in a pool that grows to the number of threads identifying at once (the
 * executor's task slots).
 */
public final class LanguageIdentifier {
  /**
   * Characters of a document looked at. Language is stable by this length (about 50 words), and
   * the cost grows with the sample.
   */
  public static final int DEFAULT_SAMPLE_CHARS = 300;
  /** Code reported when nothing can be said (no letters). */
  public static final String UNKNOWN = "und";
  /** The shipped model, a classpath resource. */
  static final String MODEL_RESOURCE = "/dev/sieve/ingest/lid.176.ftz";

  private static final String LABEL_PREFIX = "__label__";

  /** A language and the model's confidence in it, in [0, 1]. */
  public record Result(String language, double score) {}

  private final int sampleChars;

  public LanguageIdentifier() {
    this(DEFAULT_SAMPLE_CHARS);
  }

  public LanguageIdentifier(int sampleChars) {
    if (sampleChars < 1) throw new IllegalArgumentException("sampleChars must be positive: " + sampleChars);
    this.sampleChars = sampleChars;
  }

  public Result identify(String text) {
    if (text == null || text.isEmpty()) return new Result(UNKNOWN, 0);
    String sample = text.length() > sampleChars ? text.substring(0, sampleChars) : text;
    int letters = 0, han = 0, kana = 0;
    StringBuilder line = null;
    for (int i = 0; i < sample.length(); i++) {
      char c = sample.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u000b' || c == '\f' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        if (line == null) line = new StringBuilder(sample);
        line.setCharAt(i, ' ');
        continue;
      }
      if (!Character.isLetter(c)) continue;
      letters++;
      if (c < 0x2E80) continue;   // no Han or kana below the CJK radicals block
      Character.UnicodeScript sc = Character.UnicodeScript.of(c);
      if (sc == Character.UnicodeScript.HAN) han++;
      else if (sc == Character.UnicodeScript.HIRAGANA || sc == Character.UnicodeScript.KATAKANA) kana++;
    }
    if (letters == 0) return new Result(UNKNOWN, 0);
    JFastText.ProbLabel best = Models.predict(line == null ? sample : line.toString());
    boolean hanNoKana = han > letters * 0.5 && kana < han * 0.05;
    if (best == null) {
      return hanNoKana ? new Result("zh", han / (double) letters) : new Result(UNKNOWN, 0);
    }
    String code = toIso(best.label);
    double score = Math.max(0, Math.min(1, Math.exp(best.logProb)));
    if (hanNoKana && !code.equals("zh")) return new Result("zh", han / (double) letters);
    return new Result(code, score);
  }

  /** A lid.176 label ({@code __label__xx}) as ISO 639-1 where one exists, else ISO 639-3. */
  static String toIso(String label) {
    String l = label.startsWith(LABEL_PREFIX) ? label.substring(LABEL_PREFIX.length()) : label;
    if (l.startsWith("zh")) return "zh";
    return switch (l) {
      case "wuu", "yue", "cmn", "lzh", "gan", "hak", "nan", "hsn", "cdo" -> "zh";
      case "arz" -> "ar";
      case "azb" -> "az";
      case "ckb" -> "ku";
      case "als" -> "gsw";
      default -> l;
    };
  }

  /** The model, extracted and loaded once per JVM; a pool of loaded copies, one per concurrent caller. */
  private static final class Models {
    private static final Path FILE = extract();
    private static final ConcurrentLinkedQueue<JFastText> POOL = new ConcurrentLinkedQueue<>();

    static JFastText.ProbLabel predict(String line) {
      JFastText ft = POOL.poll();
      if (ft == null) {
        ft = new JFastText();
        ft.loadModel(FILE.toString());
      }
      try {
        return ft.predictProba(line);
      } finally {
        POOL.offer(ft);
      }
    }

    private static Path extract() {
      try {
        byte[] bytes;
        try (InputStream in = LanguageIdentifier.class.getResourceAsStream(MODEL_RESOURCE)) {
          if (in == null) throw new IllegalStateException("language model missing from the classpath: " + MODEL_RESOURCE);
          bytes = in.readAllBytes();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        Path target = dir.resolve("sieve-lid.176-" + sha.substring(0, 16) + ".ftz");
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length) return target;
        Path tmp = Files.createTempFile(dir, "sieve-lid.176-", ".part");
        try {
          Files.write(tmp, bytes);
          try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
          }
        } finally {
          Files.deleteIfExists(tmp);
        }
        return target;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract the language model", e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
