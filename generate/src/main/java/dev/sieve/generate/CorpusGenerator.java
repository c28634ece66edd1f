package dev.sieve.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.PiiKind;
import dev.sieve.generate.format.JsonSinks;
import dev.sieve.generate.format.OutputFile;
import dev.sieve.generate.format.WarcSink;
import dev.sieve.generate.pii.FakePii;
import dev.sieve.generate.text.LanguagePack;
import dev.sieve.generate.text.NearDuplicates;
import dev.sieve.generate.text.PhrasePicker;
import dev.sieve.generate.text.ProseWriter;
import dev.sieve.generate.text.Shingles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Writes a deterministic synthetic corpus with its ground truth: gzipped WARC (HTML pages with
 * navigation, cookie banner and footer around the article), WET, WuDao JSON and JSONL, in six
 * languages, with exact and near duplicates at known Jaccard levels, planted PII at known
 * offsets and low-quality documents of known kinds.
 *
 * <p>Document {@code i} draws from its own random stream ({@code seed}, {@code i}), and only a
 * bounded window of recent documents is kept (as sources for copies), so the same seed gives
 * byte-identical files and memory stays flat from a hundred documents to millions.
 */
public final class CorpusGenerator {
  /** Languages with a built-in language pack. */
  public static final List<String> SUPPORTED_LANGUAGES = List.of("en", "zh", "de", "fr", "es", "ru");
  /** How many recent clean documents are kept as sources for duplicates. */
  static final int COPY_WINDOW = 256;
  /** Base date of generated fetch times; documents spread over the two years after it. */
  static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
  static final String GENERATOR = "sieve-generate/1";

  private static final Map<String, String> ISO_639_3 = Map.of("en", "eng", "zh", "zho", "de", "deu", "fr", "fra", "es", "spa", "ru", "rus");
  private static final Map<String, List<String>> TLDS = Map.of(
      "en", List.of("com", "org", "net", "co.uk", "com.au"),
      "zh", List.of("cn", "com.cn", "com"),
      "de", List.of("de", "at", "ch"),
      "fr", List.of("fr", "be", "ca"),
      "es", List.of("es", "com.mx", "com.ar"),
      "ru", List.of("ru", "com.ru", "by"));
  private static final String[] SITE_SYLLABLES = {"al", "bra", "cen", "dor", "el", "far", "gal", "hor", "in", "jun", "kel", "lum",
      "mon", "nor", "or", "pal", "quin", "ros", "sol", "tor", "ur", "val", "wen", "xen", "yor", "zen"};
  private static final String[] WUDAO_TYPES = {"博客", "新闻", "百科", "问答", "论坛"};
  private static final String[] LOREM = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et "
      + "dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute "
      + "irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa "
      + "qui officia deserunt mollit anim id est laborum").split(" ");
  private static final Quality[] LOW_KINDS = {Quality.SPAM, Quality.LINK_LIST, Quality.LOREM_IPSUM, Quality.REPEATED_LINES,
      Quality.BOILERPLATE_ONLY, Quality.WRONG_LANGUAGE, Quality.TOO_SHORT};
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private final GenerateSettings settings;
  private final Map<String, LanguagePack> packs = new LinkedHashMap<>();
  private final Map<String, List<String>> replacementTokens = new TreeMap<>();
  private final String[] langs;
  private final double[] langCumulative;

  public CorpusGenerator(GenerateSettings settings) {
    this.settings = settings;
    for (String l : SUPPORTED_LANGUAGES) packs.put(l, LanguagePack.load(l));
    List<String> ls = new ArrayList<>();
    List<Double> ws = new ArrayList<>();
    settings.languages.forEach((k, v) -> {
      if (v > 0) {
        ls.add(k);
        ws.add(v);
      }
    });
    langs = ls.toArray(new String[0]);
    langCumulative = new double[langs.length];
    double total = ws.stream().mapToDouble(Double::doubleValue).sum();
    double acc = 0;
    for (int i = 0; i < langs.length; i++) {
      acc += ws.get(i) / total;
      langCumulative[i] = acc;
    }
    langCumulative[langs.length - 1] = 1.0;
  }

  /** Counts of what was written. */
  public record Result(long documents, long nonHtml, Map<String, Long> byFormat, Map<String, Long> byLanguage,
                       Map<String, Long> byQuality, long exactDuplicates, long nearDuplicates, long piiSpans,
                       List<OutputFile> files) {}

  /**
   * Generates the corpus into {@code out} (created if needed; files of an earlier run with the
   * same names are replaced).
   *
   * @param progress called with the number of documents written so far, every 10,000 documents
   */
  public Result generate(Path out, LongConsumer progress) throws IOException {
    Files.createDirectories(out);
    Instant created = EPOCH.plusSeconds(settings.seed % 86_400);
    Map<String, List<String>> info = new LinkedHashMap<>();
    info.put("software", List.of(GENERATOR));
    info.put("format", List.of("WARC File Format 1.0"));
    info.put("description", List.of("Synthetic corpus generated by sieve generate, seed " + settings.seed));
    info.put("isPartOf", List.of("CC-SYNTH-" + settings.seed));

    Map<String, Long> byFormat = new TreeMap<>();
    Map<String, Long> byLanguage = new TreeMap<>();
    Map<String, Long> byQuality = new TreeMap<>();
    long exact = 0, near = 0, piiSpans = 0, nonHtml = 0;
    ArrayDeque<GeneratedDoc> window = new ArrayDeque<>();

    try (WarcSink warc = new WarcSink(out, false, settings.docsPerFile, created, info);
         WarcSink wet = new WarcSink(out, true, settings.docsPerFile, created, info);
         JsonSinks.Wudao wudao = new JsonSinks.Wudao(out, settings.docsPerFile);
         JsonSinks.Jsonl jsonl = new JsonSinks.Jsonl(out, settings.docsPerFile);
         GroundTruthWriter truth = new GroundTruthWriter(out)) {
      for (long i = 0; i < settings.docs; i++) {
        SplittableRandom r = new SplittableRandom(mix(settings.seed, i));
        GeneratedDoc d = plan(i, r, window);
        String file;
        int textOffset = 0;
        switch (d.format) {
          case WARC -> {
            byte[] body = HtmlPage.render(d, packs.get(d.lang), r).getBytes(Charset.forName(d.charset));
            String ct = d.charsetInHeader ? "text/html; charset=" + d.charset : "text/html";
            file = warc.writeResponse(URI.create(d.url), d.fetchTime, uuid(r), uuid(r), ct, body, ip(r));
            if (r.nextDouble() < settings.nonHtmlRate) {
              String[] types = {"image/jpeg", "application/pdf", "image/png"};
              String type = types[r.nextInt(types.length)];
              String url = d.url.replace(".html", type.equals("application/pdf") ? ".pdf" : "." + type.substring(6));
              String f = warc.writeResponse(URI.create(url), d.fetchTime, uuid(r), uuid(r), type, binary(r, type), ip(r));
              truth.nonHtml(url, type, f);
              nonHtml++;
            }
          }
          case WET -> {
            String body = d.title + "\n" + d.text();
            textOffset = d.title.length() + 1;
            file = wet.writeConversion(URI.create(d.url), d.fetchTime, uuid(r), uuid(r), body, ISO_639_3.get(d.lang));
          }
          case WUDAO -> file = wudao.write(d.index, d.uniqueKey, d.titleUkey, d.dataType, d.title, d.text());
          case JSONL -> file = jsonl.write("gen-" + d.index, d.url, d.title, d.text(), d.declaredLang, DAY.format(d.fetchTime));
          default -> throw new IllegalStateException();
        }
        truth.doc(d, file, textOffset);

        byFormat.merge(d.format.folder(), 1L, Long::sum);
        byLanguage.merge(d.lang, 1L, Long::sum);
        byQuality.merge(d.quality.label(), 1L, Long::sum);
        if (d.duplicateOf != null) {
          if (d.exactDuplicate) exact++;
          else near++;
        }
        piiSpans += d.pii().size();
        if (d.quality == Quality.GOOD && !d.hasPii() && d.duplicateOf == null) {
          window.addLast(d);
          if (window.size() > COPY_WINDOW) window.removeFirst();
        }
        if (progress != null && (i + 1) % 10_000 == 0) progress.accept(i + 1);
      }
      warc.close();
      wet.close();
      wudao.close();
      jsonl.close();
      truth.close();
      List<OutputFile> files = new ArrayList<>();
      files.addAll(warc.files());
      files.addAll(wet.files());
      files.addAll(wudao.files());
      files.addAll(jsonl.files());
      Result result = new Result(settings.docs, nonHtml, byFormat, byLanguage, byQuality, exact, near, piiSpans, files);
      writeManifest(out, result);
      return result;
    }
  }

  private void writeManifest(Path out, Result r) throws IOException {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = m.createObjectNode();
    root.put("generator", GENERATOR);
    root.put("seed", settings.seed);
    root.put("documents", r.documents());
    root.put("non_html_records", r.nonHtml());
    root.put("exact_duplicates", r.exactDuplicates());
    root.put("near_duplicates", r.nearDuplicates());
    root.put("pii_spans", r.piiSpans());
    root.set("by_format", m.valueToTree(r.byFormat()));
    root.set("by_language", m.valueToTree(r.byLanguage()));
    root.set("by_quality", m.valueToTree(r.byQuality()));
    root.put("ground_truth", GroundTruthWriter.FILE);
    root.put("shingles", "5 consecutive tokens; tokens = lower-cased letter/digit runs, each Han/Kana character its own token");
    ArrayNode files = root.putArray("files");
    for (OutputFile f : r.files()) {
      ObjectNode n = files.addObject();
      n.put("path", f.path());
      n.put("bytes", f.bytes());
      n.put("sha256", f.sha256());
      n.put("records", f.records());
    }
    Files.writeString(out.resolve("_manifest.json"), m.writeValueAsString(root) + "\n");
  }

  // ---------------------------------------------------------------- planning one document

  private GeneratedDoc plan(long i, SplittableRandom r, ArrayDeque<GeneratedDoc> window) {
    double u = r.nextDouble();
    String lang = pickLanguage(r.nextDouble());
    GeneratedDoc d;
    if (u < settings.exactDuplicateRate && !window.isEmpty()) {
      d = copy(i, pick(window, r), r, Double.NaN);
    } else if (u < settings.exactDuplicateRate + settings.nearDuplicateRate && !window.isEmpty()) {
      double level = settings.nearDuplicateLevels.get(r.nextInt(settings.nearDuplicateLevels.size()));
      d = copy(i, pick(window, r), r, level);
    } else if (u < settings.exactDuplicateRate + settings.nearDuplicateRate + settings.lowQualityRate) {
      d = lowQuality(i, lang, LOW_KINDS[r.nextInt(LOW_KINDS.length)], r);
    } else {
      d = good(i, lang, r);
      if (r.nextDouble() < settings.piiRate) plantPii(d, r);
    }
    place(d, r);
    return d;
  }

  private String pickLanguage(double u) {
    for (int k = 0; k < langs.length; k++) if (u < langCumulative[k]) return langs[k];
    return langs[langs.length - 1];
  }

  private static GeneratedDoc pick(ArrayDeque<GeneratedDoc> window, SplittableRandom r) {
    int k = r.nextInt(window.size());
    var it = window.iterator();
    for (int j = 0; j < k; j++) it.next();
    return it.next();
  }

  private String topic(SplittableRandom r) {
    return LanguagePack.TOPICS.get(r.nextInt(LanguagePack.TOPICS.size()));
  }

  private GeneratedDoc good(long i, String lang, SplittableRandom r) {
    String topic = topic(r);
    GeneratedDoc d = new GeneratedDoc(i, lang, topic, Quality.GOOD);
    ProseWriter w = new ProseWriter(packs.get(lang), topic, new PhrasePicker(r));
    d.title = w.title();
    int paragraphs = 3 + r.nextInt(7);
    boolean list = r.nextInt(5) == 0;
    for (int p = 0; p < paragraphs; p++) {
      if (p > 0 && r.nextInt(4) == 0) d.addBlock(Block.Type.HEADING, w.title());
      d.addBlock(Block.Type.PARAGRAPH, w.paragraph(3 + r.nextInt(5)));
      if (list && p == paragraphs / 2) {
        int items = 3 + r.nextInt(3);
        for (int k = 0; k < items; k++) d.addBlock(Block.Type.LIST_ITEM, w.sentence());
      }
    }
    return d;
  }

  private void plantPii(GeneratedDoc d, SplittableRandom r) {
    LanguagePack pack = packs.get(d.lang);
    PhrasePicker picker = new PhrasePicker(r);
    ProseWriter w = new ProseWriter(pack, d.topic, picker);
    int n = 1 + r.nextInt(3);
    for (int k = 0; k < n; k++) {
      PiiKind kind = PiiKind.values()[r.nextInt(PiiKind.values().length)];
      String template = picker.any(pack.pii.get(FakePii.slot(kind)));
      String slot = "{" + FakePii.slot(kind) + "}";
      String withName = w.finish(w.fill(template.replace(slot, "\u0000")));
      String value = FakePii.value(kind, d.lang, r);
      int at = withName.indexOf('\u0000');
      String sentence = withName.replace("\u0000", value);
      List<Integer> paragraphs = new ArrayList<>();
      for (int b = 0; b < d.blocks.size(); b++) if (d.blocks.get(b).type() == Block.Type.PARAGRAPH) paragraphs.add(b);
      int b = paragraphs.get(r.nextInt(paragraphs.size()));
      d.appendPii(b, pack.separator, sentence, at, kind, value);
    }
  }

  private GeneratedDoc copy(long i, GeneratedDoc src, SplittableRandom r, double level) {
    GeneratedDoc d = new GeneratedDoc(i, src.lang, src.topic, Quality.GOOD);
    d.title = src.title;
    d.duplicateOf = src.key;
    if (Double.isNaN(level)) {
      d.exactDuplicate = true;
      for (Block b : src.blocks) d.addBlock(b.type(), b.text());
      return d;
    }
    NearDuplicates.Variant v = NearDuplicates.make(src.text(), level, replacementTokens(src.lang), r);
    String[] lines = v.text().split("\n", -1);
    if (lines.length != src.blocks.size()) throw new IllegalStateException("near-duplicate changed the block count");
    for (int k = 0; k < lines.length; k++) d.addBlock(src.blocks.get(k).type(), lines[k]);
    d.targetJaccard = level;
    d.jaccard = v.jaccard();
    return d;
  }

  private List<String> replacementTokens(String lang) {
    return replacementTokens.computeIfAbsent(lang, l -> {
      LanguagePack p = packs.get(l);
      java.util.TreeSet<String> tokens = new java.util.TreeSet<>();
      for (String t : LanguagePack.TOPICS) {
        LanguagePack.Topic topic = p.topic(t);
        for (List<String> list : List.of(topic.subjects, topic.objects, topic.complements, topic.verbs)) {
          for (String phrase : list) tokens.addAll(Shingles.texts(Shingles.tokens(phrase)));
        }
      }
      return List.copyOf(tokens);
    });
  }

  private GeneratedDoc lowQuality(long i, String lang, Quality kind, SplittableRandom r) {
    String textLang = lang;
    if (kind == Quality.WRONG_LANGUAGE) {
      List<String> others = new ArrayList<>(SUPPORTED_LANGUAGES);
      others.remove(lang);
      textLang = others.get(r.nextInt(others.size()));
    }
    String topic = topic(r);
    GeneratedDoc d = new GeneratedDoc(i, textLang, topic, kind);
    d.declaredLang = lang;
    LanguagePack pack = packs.get(textLang);
    PhrasePicker picker = new PhrasePicker(r);
    ProseWriter w = new ProseWriter(pack, topic, picker);
    d.title = w.title();
    switch (kind) {
      case SPAM -> {
        int paragraphs = 2 + r.nextInt(4);
        for (int p = 0; p < paragraphs; p++) {
          StringBuilder sb = new StringBuilder();
          int n = 2 + r.nextInt(4);
          for (int k = 0; k < n; k++) {
            if (k > 0) sb.append(pack.separator.isEmpty() ? "" : " ");
            String s = picker.pick(pack.spam).replace("{product}", picker.pick(pack.products)).replace("{price}", price(textLang, r));
            sb.append(r.nextInt(3) == 0 ? s.toUpperCase(java.util.Locale.ROOT) : s);
          }
          d.addBlock(Block.Type.PARAGRAPH, sb.toString());
        }
        d.title = picker.pick(pack.spam).replace("{product}", picker.pick(pack.products)).replace("{price}", price(textLang, r));
      }
      case LINK_LIST -> {
        int n = 15 + r.nextInt(26);
        for (int k = 0; k < n; k++) d.addBlock(Block.Type.LIST_ITEM, pack.related.get(r.nextInt(pack.related.size())));
      }
      case LOREM_IPSUM -> {
        int paragraphs = 3 + r.nextInt(4);
        for (int p = 0; p < paragraphs; p++) {
          StringBuilder sb = new StringBuilder();
          int sentences = 3 + r.nextInt(4);
          for (int s = 0; s < sentences; s++) {
            if (s > 0) sb.append(' ');
            int words = 8 + r.nextInt(10);
            for (int k = 0; k < words; k++) {
              String word = LOREM[r.nextInt(LOREM.length)];
              if (k == 0) word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
              sb.append(word).append(k == words - 1 ? "." : " ");
            }
          }
          d.addBlock(Block.Type.PARAGRAPH, p == 0 ? "Lorem ipsum dolor sit amet, " + sb.substring(0, 1).toLowerCase() + sb.substring(1) : sb.toString());
        }
        d.title = "Lorem ipsum";
      }
      case REPEATED_LINES -> {
        d.addBlock(Block.Type.PARAGRAPH, w.sentence());
        String line = w.sentence();
        int n = 10 + r.nextInt(21);
        for (int k = 0; k < n; k++) d.addBlock(Block.Type.PARAGRAPH, line);
      }
      case BOILERPLATE_ONLY -> {
        // No main text at all: only the page chrome HtmlPage adds.
      }
      case WRONG_LANGUAGE -> {
        int paragraphs = 3 + r.nextInt(5);
        for (int p = 0; p < paragraphs; p++) d.addBlock(Block.Type.PARAGRAPH, w.paragraph(3 + r.nextInt(4)));
      }
      case TOO_SHORT -> d.addBlock(Block.Type.PARAGRAPH, w.sentence());
      default -> throw new IllegalStateException(kind.name());
    }
    return d;
  }

  private static String price(String lang, SplittableRandom r) {
    int units = 5 + r.nextInt(195);
    int cents = r.nextInt(100);
    return switch (lang) {
      case "zh" -> "￥" + (units * 7);
      case "ru" -> (units * 90) + " ₽";
      case "de", "fr", "es" -> units + "," + String.format("%02d", cents) + " €";
      default -> "$" + units + "." + String.format("%02d", cents);
    };
  }

  // ---------------------------------------------------------------- where it goes

  private void place(GeneratedDoc d, SplittableRandom r) {
    int f = r.nextInt(100);
    if (d.quality == Quality.BOILERPLATE_ONLY) d.format = Format.WARC;
    else if (d.quality == Quality.WRONG_LANGUAGE && "zh".equals(d.declaredLang)) d.format = f < 70 ? Format.WUDAO : Format.WARC;
    else if (d.quality == Quality.WRONG_LANGUAGE) d.format = f < 70 ? Format.WARC : Format.JSONL;
    else if ("zh".equals(d.lang)) d.format = f < 45 ? Format.WUDAO : f < 70 ? Format.WARC : f < 80 ? Format.WET : Format.JSONL;
    else d.format = f < 55 ? Format.WARC : f < 80 ? Format.WET : Format.JSONL;

    d.fetchTime = EPOCH.plusSeconds(r.nextLong(2L * 365 * 86_400));
    int site = r.nextInt(40);
    d.site = siteName(d.declaredLang, d.topic, site);
    String month = DateTimeFormatter.ofPattern("yyyy/MM").withZone(ZoneOffset.UTC).format(d.fetchTime);
    d.url = "https://" + d.site + "/" + month + "/" + d.topic + "-" + Long.toString(d.index, 36) + ".html";
    d.key = d.url;
    if (d.format == Format.WUDAO) {
      d.uniqueKey = hex(r, 16);
      d.titleUkey = hex(r, 16);
      d.dataType = WUDAO_TYPES[r.nextInt(WUDAO_TYPES.length)];
      d.key = d.uniqueKey;
    }
    if (d.format == Format.WARC) chooseCharset(d, r);
  }

  /** Legacy charsets the way real crawls carry them: in the HTTP header, in a meta tag, or both. */
  private static void chooseCharset(GeneratedDoc d, SplittableRandom r) {
    String charset = "UTF-8";
    int u = r.nextInt(100);
    switch (d.declaredLang) {
      case "zh" -> { if (u < 20) charset = "GB18030"; }
      case "ru" -> { if (u < 20) charset = "windows-1251"; }
      case "de", "fr", "es" -> { if (u < 15) charset = "windows-1252"; }
      default -> { }
    }
    if (!charset.equals("UTF-8")) {
      CharsetEncoder enc = Charset.forName(charset).newEncoder();
      if (!enc.canEncode(d.title) || !enc.canEncode(d.text()) || !enc.canEncode(d.site)) charset = "UTF-8";
    }
    d.charset = charset;
    int where = r.nextInt(3);
    d.charsetInHeader = where != 1;
    d.charsetInMeta = where != 0;
  }

  private static String siteName(String lang, String topic, int k) {
    SplittableRandom s = new SplittableRandom(mix(lang.hashCode() * 31L + topic.hashCode(), k));
    StringBuilder sb = new StringBuilder();
    if (s.nextBoolean()) sb.append("www.");
    int n = 2 + s.nextInt(2);
    for (int j = 0; j < n; j++) sb.append(SITE_SYLLABLES[s.nextInt(SITE_SYLLABLES.length)]);
    sb.append('-').append(topic);
    List<String> tlds = TLDS.get(lang);
    return sb.append('.').append(tlds.get(s.nextInt(tlds.size()))).toString();
  }

  private static String hex(SplittableRandom r, int bytes) {
    byte[] b = new byte[bytes];
    for (int i = 0; i < bytes; i++) b[i] = (byte) r.nextInt(256);
    return HexFormat.of().formatHex(b);
  }

  private static UUID uuid(SplittableRandom r) {
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo);
  }

  private static String ip(SplittableRandom r) {
    return (11 + r.nextInt(180)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  private static byte[] binary(SplittableRandom r, String type) {
    byte[] b = new byte[200 + r.nextInt(1800)];
    for (int i = 0; i < b.length; i++) b[i] = (byte) r.nextInt(256);
    byte[] magic = switch (type) {
      case "image/jpeg" -> new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
      case "image/png" -> new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
      default -> "%PDF-1.4\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    };
    System.arraycopy(magic, 0, b, 0, magic.length);
    return b;
  }

  /** SplitMix64-style mixing of the seed and the document index into one stream seed. */
  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
