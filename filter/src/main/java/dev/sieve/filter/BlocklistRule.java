package dev.sieve.filter;

import dev.sieve.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Domain and word blocklists loaded from files (one entry per line, {@code #} starts a comment),
 * as C4 drops pages with words from its bad-words list and FineWeb drops blocklisted URLs. A
 * domain entry also blocks its subdomains ({@code example.com} blocks {@code www.example.com}).
 * Words match whole words, case-insensitively, in text written with spaces, and as substrings in
 * CJK text; a document is rejected at {@code minWordHits} hits.
 *
 * <p>By default the multilingual LDNOOBW lists ({@link WordList#shippedByLanguage()}: 28 lists,
 * Chinese included, from the npm package naughty-words 1.2.0, CC BY 4.0) are matched as well,
 * each against documents of its language, with a conservative threshold: rule {@code blocklist_ldnoobw} rejects a document when those entries
 * make at least {@value #DEFAULT_LIST_MIN_RATIO} of its words (one hit per 100 words; a CJK
 * character counts as a word, as {@link DocText} counts them). C4 (Raffel et al. 2020) dropped
 * every page with a single word of the English list; Dodge et al. 2021 ("Documenting Large
 * Webtext Corpora") found that rule removed disproportionately much text by and about
 * minority groups and non-sexual medical and legal text, so one passing mention is not enough
 * here: a page must be dense with such words. {@code filter.blocklist.default_words: false} turns
 * the shipped lists off; {@code default_words_min_ratio} sets the density.
 */
public final class BlocklistRule implements FilterRule {
  public static final int DEFAULT_MIN_WORD_HITS = 1;
  /** Hits of the shipped lists per word at which {@code blocklist_ldnoobw} rejects. */
  public static final double DEFAULT_LIST_MIN_RATIO = 0.01;

  private final Set<String> domains;
  private final Pattern words;
  private final List<String> cjkWords;
  private final int minWordHits;
  private final Map<String, WordList> shipped;
  private final double shippedMinRatio;

  /** Domains and one's own word list only (no shipped list). */
  public BlocklistRule(Set<String> domains, List<String> words, int minWordHits) {
    this(domains, words, minWordHits, null, DEFAULT_LIST_MIN_RATIO);
  }

  /**
   * @param shipped the shipped lists by language ({@link WordList#shippedByLanguage()}), or null for none: a
   *     document is matched against the list of its {@link DocText#language()} only
   * @param shippedMinRatio hits of {@code shipped} per word at which a document is rejected ({@code blocklist_ldnoobw})
   */
  public BlocklistRule(Set<String> domains, List<String> words, int minWordHits, Map<String, WordList> shipped, double shippedMinRatio) {
    this.shipped = shipped;
    this.shippedMinRatio = shippedMinRatio;
    this.domains = Set.copyOf(domains);
    List<String> latin = new ArrayList<>();
    List<String> cjk = new ArrayList<>();
    for (String w : words) {
      if (w.chars().anyMatch(c -> DocText.isCjk((char) c))) cjk.add(w);
      else latin.add(phrase(w.toLowerCase(Locale.ROOT)));
    }
    this.words = latin.isEmpty() ? null : Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + String.join("|", latin) + ")(?![\\p{L}\\p{N}])");
    this.cjkWords = List.copyOf(cjk);
    this.minWordHits = minWordHits;
  }

  /** A phrase as a pattern: its words quoted, any run of white space between them. */
  private static String phrase(String p) {
    List<String> parts = new ArrayList<>();
    for (String t : p.strip().split("\\s+")) parts.add(Pattern.quote(t));
    return String.join("\\s+", parts);
  }

  /** Reads a list file: trimmed lines, comments and blank lines dropped, lower-cased. */
  public static List<String> readList(String file, String key) {
    if (file == null || file.isBlank()) return List.of();
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
        int hash = line.indexOf('#');
        String s = (hash >= 0 ? line.substring(0, hash) : line).strip().toLowerCase(Locale.ROOT);
        if (!s.isEmpty()) out.add(s);
      }
      return out;
    } catch (NoSuchFileException e) {
      throw new ConfigException("bad value for '" + key + "': file not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("bad value for '" + key + "': cannot read " + file + ": " + e.getMessage());
    }
  }

  @Override
  public String name() {
    return "blocklist";
  }

  @Override
  public Verdict apply(DocText doc) {
    String host = doc.host();
    if (host != null && !domains.isEmpty()) {
      String h = host.toLowerCase(Locale.ROOT);
      while (true) {
        if (domains.contains(h)) return Verdict.reject("blocklist_domain", 1, 0);
        int dot = h.indexOf('.');
        if (dot < 0) break;
        h = h.substring(dot + 1);
      }
    }
    if (words == null && cjkWords.isEmpty() && shipped == null) return Verdict.keep();
    int hits = 0;
    String lower = doc.text().toLowerCase(Locale.ROOT);
    if (words != null) {
      Matcher m = words.matcher(lower);
      while (m.find()) hits++;
    }
    for (String w : cjkWords) {
      for (int i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + w.length())) hits++;
    }
    if (hits >= minWordHits && hits > 0) return Verdict.reject("blocklist_words", hits, minWordHits);
    WordList list = shipped == null || doc.language() == null ? null : shipped.get(doc.language().toLowerCase(Locale.ROOT));
    if (list != null) {
      int listHits = list.count(lower);
      if (listHits > 0) {
        double ratio = (double) listHits / Math.max(1, doc.wordCount());
        if (ratio >= shippedMinRatio) return Verdict.reject("blocklist_ldnoobw", ratio, shippedMinRatio);
      }
    }
    return Verdict.keep();
  }

  static Set<String> asSet(List<String> l) {
    return new HashSet<>(l);
  }
}
