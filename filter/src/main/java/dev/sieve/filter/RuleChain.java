package dev.sieve.filter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The coarse stage: rules applied in order, the first rejection wins (and is the reason recorded
 * in {@code silver/rejected}). Built from {@link FilterSettings}, like Lucene's
 * {@code CustomAnalyzer} builds an analysis chain from names.
 */
public final class RuleChain {
  private final List<FilterRule> rules;

  public RuleChain(List<FilterRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Reads the blocklist files (on the machine that calls it) and builds the chain. */
  public static RuleChain fromSettings(FilterSettings s) {
    return fromSettings(s, Blocklists.load(s));
  }

  /** The list contents of the blocklist rule, read once (on the driver) and shipped with the chain settings. */
  public record Blocklists(java.util.Set<String> domains, List<String> words, java.util.Map<String, WordList> shipped) implements java.io.Serializable {
    public static Blocklists load(FilterSettings s) {
      return new Blocklists(new java.util.HashSet<>(BlocklistRule.readList(s.blocklist.domainsFile, "filter.blocklist.domains_file")),
          BlocklistRule.readList(s.blocklist.wordsFile, "filter.blocklist.words_file"),
          s.blocklist.defaultWords ? WordList.shippedByLanguage() : null);
    }
  }

  public static RuleChain fromSettings(FilterSettings s, Blocklists lists) {
    return fromSettings(s, lists, s.rules);
  }

  /** The chain of the rules {@code names} (in that order) with {@code s}'s thresholds: {@code rules} or {@code conversation_rules}. */
  public static RuleChain fromSettings(FilterSettings s, Blocklists lists, List<String> names) {
    List<FilterRule> out = new ArrayList<>();
    for (String name : names) {
      out.add(switch (name) {
        case "blocklist" -> new BlocklistRule(lists.domains(), lists.words(), s.blocklist.minWordHits, lists.shipped(),
            s.blocklist.defaultWordsMinRatio);
        case "language" -> new LanguageRule(new HashSet<>(s.language.allowed), s.language.minScore, s.language.rejectDeclaredMismatch);
        case "gopher_quality" -> new GopherQualityRule(s.gopherQuality.minWords, s.gopherQuality.maxWords, s.gopherQuality.minAvgWordLength,
            s.gopherQuality.maxAvgWordLength, s.gopherQuality.maxSymbolWordRatio, s.gopherQuality.maxBulletLinesRatio,
            s.gopherQuality.maxEllipsisLinesRatio, s.gopherQuality.minAlphaWordsRatio, s.gopherQuality.minStopWords);
        case "gopher_repetition" -> new GopherRepetitionRule(s.gopherRepetition.maxDupLineFrac, s.gopherRepetition.maxDupParaFrac,
            s.gopherRepetition.maxDupLineCharFrac, s.gopherRepetition.maxDupParaCharFrac,
            s.gopherRepetition.maxTopNgramFrac.stream().mapToDouble(Double::doubleValue).toArray(),
            s.gopherRepetition.maxDupNgramFrac.stream().mapToDouble(Double::doubleValue).toArray());
        case "c4" -> new C4Rule(s.c4.minSentences, s.c4.minWordsPerLine);
        case "fineweb" -> new FineWebRule(s.fineweb.minLinePunctRatio, s.fineweb.maxShortLineRatio, s.fineweb.maxCharDupRatio,
            s.fineweb.maxNewlineRatio);
        case "zh_quality" -> new ChineseQualityRule(s.zhQuality.minCjkChars, s.zhQuality.minCjkRatio, s.zhQuality.maxSpamPer1000Chars,
            s.zhQuality.maxSpecialCharRatio, s.zhQuality.maxCharRun);
        default -> throw new IllegalArgumentException("unknown rule " + name);
      });
    }
    return new RuleChain(out);
  }

  /** The first rejection, or keep. */
  public Verdict apply(DocText doc) {
    for (FilterRule r : rules) {
      Verdict v = r.apply(doc);
      if (!v.kept()) return v;
    }
    return Verdict.keep();
  }

  public List<FilterRule> rules() {
    return rules;
  }
}
