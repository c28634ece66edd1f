package dev.sieve.generate;

import dev.sieve.core.PiiKind;
import dev.sieve.generate.pii.FakePii;
import dev.sieve.generate.text.LanguagePack;
import dev.sieve.generate.text.NearDuplicates;
import dev.sieve.generate.text.PhrasePicker;
import dev.sieve.generate.text.ProseWriter;
import dev.sieve.generate.text.Shingles;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What each generated document is, drawn from its own random stream: language, quality (clean, a
 * low-quality kind, an exact or near copy of a recent clean document), text and planted PII, then
 * {@link Placement} for where it goes. {@link CorpusGenerator} writes what this plans; the draws
 * happen in a fixed order, so a seed gives the same corpus.
 */
final class DocPlanner {
  private static final String[] LOREM = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et "
      + "dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute "
      + "irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa "
      + "qui officia deserunt mollit anim id est laborum").split(" ");
  private static final Quality[] LOW_KINDS = {Quality.SPAM, Quality.LINK_LIST, Quality.LOREM_IPSUM, Quality.REPEATED_LINES,
      Quality.BOILERPLATE_ONLY, Quality.WRONG_LANGUAGE, Quality.TOO_SHORT};

  private final GenerateSettings settings;
  private final Map<String, LanguagePack> packs = new LinkedHashMap<>();
  private final Map<String, List<String>> replacementTokens = new TreeMap<>();
  private final String[] langs;
  private final double[] langCumulative;

  DocPlanner(GenerateSettings settings) {
    this.settings = settings;
    for (String l : CorpusGenerator.SUPPORTED_LANGUAGES) packs.put(l, LanguagePack.load(l));
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

  // ---------------------------------------------------------------- planning one document

  /** The language pack of {@code lang}. */
  LanguagePack pack(String lang) {
    return packs.get(lang);
  }

  /** Document {@code i}: drawn from {@code r}, a copy of one in {@code window} or new, and placed. */
  GeneratedDoc plan(long i, SplittableRandom r, ArrayDeque<GeneratedDoc> window) {
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
    Placement.place(d, r);
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
      List<String> others = new ArrayList<>(CorpusGenerator.SUPPORTED_LANGUAGES);
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
}
