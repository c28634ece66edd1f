package dev.sieve.filter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A large word list matched in one pass over a text, for the shipped LDNOOBW lists ({@link #shipped()}):
 * at the start of every word (a run of letters and digits) the entries beginning with that word
 * are compared there, and at every CJK character the entries beginning with it; no regular
 * expression with thousands of alternatives. Entries match case-insensitively, whole words in text
 * written with spaces (any run of white space between a phrase's words), as substrings in CJK text,
 * as {@link BlocklistRule}'s own list does. Single-character CJK entries (the Chinese list's
 * 性, 乳, 奶, 幹 …) are left out: without word segmentation they match inside everyday words
 * (可能性, 乳业, 牛奶).
 */
public final class WordList implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** Where the shipped lists live on the class path: {@code languages.txt}, {@code <language>.txt}, LICENSE, NOTICE. */
  public static final String SHIPPED_DIR = "/dev/sieve/filter/ldnoobw/";

  private final Map<Character, List<String>> byFirstCjk = new HashMap<>();
  private final List<String> other = new ArrayList<>();
  private final int size;
  /** Entries by their first word, in an open-addressing table probed by {@link String#hashCode()} of a text range (no substring per word). */
  private final String[] firstKeys;
  private final String[][] firstEntries;
  private final int firstMask;
  /** Bit {@code c} set when an entry starts with the CJK character {@code c}: most characters miss, without a map lookup. */
  private final long[] cjkFirst = new long[1 << 10];

  public WordList(List<String> entries) {
    Set<String> seen = new LinkedHashSet<>();
    Map<String, List<String>> byFirstWord = new HashMap<>();
    for (String raw : entries) {
      String e = raw.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
      if (e.isEmpty() || !seen.add(e)) continue;
      char c = e.charAt(0);
      if (DocText.isCjk(c) && e.codePointCount(0, e.length()) == 1) continue; // 性, 乳, 奶 … as substrings match everyday words
      if (DocText.isCjk(c)) {
        byFirstCjk.computeIfAbsent(c, k -> new ArrayList<>()).add(e);
      } else if (Character.isLetterOrDigit(c)) {
        int end = 0;
        while (end < e.length() && Character.isLetterOrDigit(e.charAt(end)) && !DocText.isCjk(e.charAt(end))) end++;
        byFirstWord.computeIfAbsent(e.substring(0, end), k -> new ArrayList<>()).add(e);
      } else {
        other.add(e);
      }
    }
    size = seen.size();
    for (char c : byFirstCjk.keySet()) cjkFirst[c >>> 6] |= 1L << c;
    int cap = Integer.highestOneBit(Math.max(4, byFirstWord.size()) * 4 - 1);
    firstKeys = new String[cap];
    firstEntries = new String[cap][];
    firstMask = cap - 1;
    byFirstWord.forEach((k, v) -> {
      int i = k.hashCode() & firstMask;
      while (firstKeys[i] != null) i = (i + 1) & firstMask;
      firstKeys[i] = k;
      firstEntries[i] = v.toArray(String[]::new);
    });
  }

  /** The entries whose first word is {@code s[from, to)}, or null. */
  private String[] startingWith(String s, int from, int to, int hash) {
    int len = to - from;
    for (int i = hash & firstMask; firstKeys[i] != null; i = (i + 1) & firstMask) {
      String k = firstKeys[i];
      if (k.length() == len && s.regionMatches(from, k, 0, len)) return firstEntries[i];
    }
    return null;
  }

  /** Distinct entries. */
  public int size() {
    return size;
  }

  /** The LDNOOBW lists of every language in the npm package naughty-words 1.2.0 (CC BY 4.0), read from the class path, all in one. */
  public static List<String> shipped() {
    List<String> out = new ArrayList<>();
    for (String lang : read("languages.txt")) out.addAll(read(lang + ".txt"));
    return out;
  }

  /**
   * The shipped lists by the language code a document carries ({@code en}, {@code zh}, …; the
   * list {@code fr-CA-u-sd-caqc} joins {@code fr}, {@code fil} also serves {@code tl}, {@code no}
   * also {@code nb} and {@code nn}). A list applies to documents of its language only: the
   * Turkish entry "am" is German for "at the", the Portuguese "cu" a Spanish syllable.
   */
  public static Map<String, WordList> shippedByLanguage() {
    Map<String, List<String>> entries = new java.util.TreeMap<>();
    for (String lang : read("languages.txt")) {
      String key = lang.contains("-") ? lang.substring(0, lang.indexOf('-')) : lang;
      entries.computeIfAbsent(key, k -> new ArrayList<>()).addAll(read(lang + ".txt"));
    }
    if (entries.containsKey("fil")) entries.put("tl", entries.get("fil"));
    if (entries.containsKey("no")) {
      entries.put("nb", entries.get("no"));
      entries.put("nn", entries.get("no"));
    }
    Map<String, WordList> out = new HashMap<>();
    entries.forEach((k, v) -> out.put(k, new WordList(v)));
    return out;
  }

  private static List<String> read(String name) {
    try (InputStream in = WordList.class.getResourceAsStream(SHIPPED_DIR + name)) {
      if (in == null) throw new IllegalStateException("missing class-path resource " + SHIPPED_DIR + name);
      List<String> out = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      boolean header = name.endsWith(".txt") && !name.equals("languages.txt");
      for (String line; (line = r.readLine()) != null; ) {
        if (header) { // the first line of a list names its source
          header = false;
          continue;
        }
        if (!line.isBlank()) out.add(line.strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many entries occur in {@code lower} (the text lower-cased with {@link Locale#ROOT}): at most one per position. */
  public int count(String lower) {
    int hits = 0;
    int n = lower.length();
    for (int i = 0; i < n; ) {
      char c = lower.charAt(i);
      if (DocText.isCjk(c)) {
        List<String> es = (cjkFirst[c >>> 6] & 1L << c) == 0 ? null : byFirstCjk.get(c);
        if (es != null) {
          for (String e : es) {
            if (lower.startsWith(e, i)) {
              hits++;
              break;
            }
          }
        }
        i++;
      } else if (Character.isLetterOrDigit(c)) {
        int end = i;
        int hash = 0; // String.hashCode of lower[i, end)
        for (char d; end < n && Character.isLetterOrDigit(d = lower.charAt(end)) && !DocText.isCjk(d); end++) hash = 31 * hash + d;
        String[] es = startingWith(lower, i, end, hash);
        if (es != null) {
          for (String e : es) {
            if (matchesAt(lower, i, e)) {
              hits++;
              break;
            }
          }
        }
        i = end;
      } else {
        i++;
      }
    }
    for (String e : other) {
      for (int at = lower.indexOf(e); at >= 0; at = lower.indexOf(e, at + e.length())) hits++;
    }
    return hits;
  }

  /** Whether entry {@code e} occurs at {@code at} as whole words: a space in it matches any run of white space. */
  private static boolean matchesAt(String s, int at, String e) {
    int i = at;
    for (int k = 0; k < e.length(); k++) {
      char c = e.charAt(k);
      if (c == ' ') {
        if (i >= s.length() || !Character.isWhitespace(s.charAt(i))) return false;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
      } else {
        if (i >= s.length() || s.charAt(i) != c) return false;
        i++;
      }
    }
    return i >= s.length() || !Character.isLetterOrDigit(s.charAt(i)) || DocText.isCjk(s.charAt(i)) && !DocText.isCjk(e.charAt(e.length() - 1));
  }
}
