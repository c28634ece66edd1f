package dev.sieve.filter;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coarse rules for Chinese text after Yuan 1.0's Massive Data Filtering System (Wu et al. 2021,
 * "Yuan 1.0: Large-Scale Pre-trained Language Model in Zero-Shot and Few-Shot Learning",
 * section 3.1: drop short texts, texts with too few Chinese characters, advertising and spam,
 * garbled text and long runs of repeated characters). Applies to documents tagged {@code zh}:
 * <ul>
 *   <li>at least 50 Chinese characters (shorter texts carry no context; this is the length
 *       check for Chinese, where Gopher's word counts do not apply);</li>
 *   <li>Chinese characters at least 30 % of the non-space characters (garbled or mostly
 *       markup / Latin text tagged zh);</li>
 *   <li>at most 3 spam or contact-solicitation pattern matches per 1,000 characters once at
 *       least 3 different patterns occur (加微信, QQ群,
 *       代开发票, 日赚, 刷单, 点击, 领取, prices ...). Phone numbers alone are not spam: good
 *       articles carry contact lines, and PII scrubbing deals with them;</li>
 *   <li>no messenger handle offered to the reader (添加微信:ZDLJ028, 薇信1771443606);</li>
 *   <li>at most 25 % special characters (neither letters, digits, CJK nor common punctuation);</li>
 *   <li>no run of one character repeated 10 or more times (！！！！！！！！！！).</li>
 * </ul>
 * The numbers are Sieve's reading of the paper, which names the criteria but not all thresholds.
 */
public final class ChineseQualityRule implements FilterRule {
  public static final int DEFAULT_MIN_CJK_CHARS = 50;
  public static final double DEFAULT_MIN_CJK_RATIO = 0.3;
  public static final double DEFAULT_MAX_SPAM_PER_1000_CHARS = 3;
  public static final double DEFAULT_MAX_SPECIAL_CHAR_RATIO = 0.25;
  public static final int DEFAULT_MAX_CHAR_RUN = 10;
  /** Different spam patterns a text must show before its spam density counts. */
  public static final int MIN_DISTINCT_SPAM_PATTERNS = 3;
  /** Advertising, contact-solicitation and scam patterns of Chinese web spam. */
  public static final Pattern SPAM = Pattern.compile(
      "加微信|加微|微信号|微信同号|V信|vx号|加QQ|QQ群|扣扣|代开发票|开发票|代办|办证|日赚|月入过万|赚大钱|刷单|兼职招聘|网赚|博彩|彩票|赌场|"
          + "私服|点击|领取|立即购买|马上进店|进店|限时抢购|抢购|全网最低|最低价|包邮|低价出售|咨询热线|优惠|特价|厂家直销|无需经验|"
          + "恭喜您|速速|手慢无|秒杀|仅需|只要￥|￥\\d+", Pattern.CASE_INSENSITIVE);
  /**
   * A contact solicitation: a messenger handle offered to the reader (添加微信:ZDLJ028,
   * 薇信1771443606, QQ群 123456789), the mark of finance and product spam whatever its length.
   */
  public static final Pattern CONTACT = Pattern.compile(
      "(?<![A-Za-z0-9])(?:微信|薇信|威信|V信|vx|VX|QQ|qq|扣扣)(?:号|群|公众号|公号)?\\s*[:：]?\\s*[A-Za-z0-9_-]{5,}");
  /** Characters a {@link #SPAM} match can start with (each alternative's first character, both ASCII cases). */
  private static final boolean[] SPAM_FIRST = firstChars(SPAM.pattern().split("\\|"));
  /** Characters a {@link #CONTACT} match can start with. */
  private static final boolean[] CONTACT_FIRST = firstChars(new String[] {"微", "薇", "威", "V", "v", "Q", "q", "扣"});
  private static final String COMMON_PUNCT = "，。、；：？！“”‘’（）《》【】…—·,.;:?!\"'()[]-%/@&+=_~#*<>|";

  private final int minCjkChars;
  private final double minCjkRatio;
  private final double maxSpamPer1000;
  private final double maxSpecialRatio;
  private final int maxCharRun;

  public ChineseQualityRule() {
    this(DEFAULT_MIN_CJK_CHARS, DEFAULT_MIN_CJK_RATIO, DEFAULT_MAX_SPAM_PER_1000_CHARS, DEFAULT_MAX_SPECIAL_CHAR_RATIO, DEFAULT_MAX_CHAR_RUN);
  }

  public ChineseQualityRule(int minCjkChars, double minCjkRatio, double maxSpamPer1000, double maxSpecialRatio, int maxCharRun) {
    this.minCjkChars = minCjkChars;
    this.minCjkRatio = minCjkRatio;
    this.maxSpamPer1000 = maxSpamPer1000;
    this.maxSpecialRatio = maxSpecialRatio;
    this.maxCharRun = maxCharRun;
  }

  @Override
  public String name() {
    return "zh_quality";
  }

  @Override
  public Verdict apply(DocText doc) {
    if (!doc.language().equals("zh")) return Verdict.keep();
    String t = doc.text();
    int cjk = doc.cjkChars();
    if (cjk < minCjkChars) return Verdict.reject("zh_min_cjk_chars", cjk, minCjkChars);
    int nonSpace = 0, special = 0, run = 1, longestRun = 1;
    char prev = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (Character.isWhitespace(c)) {
        prev = 0;
        continue;
      }
      nonSpace++;
      if (!Character.isLetterOrDigit(c) && COMMON_PUNCT.indexOf(c) < 0) special++;
      run = c == prev ? run + 1 : 1;
      longestRun = Math.max(longestRun, run);
      prev = c;
    }
    double ratio = cjk / (double) Math.max(1, nonSpace);
    if (ratio < minCjkRatio) return Verdict.reject("zh_cjk_ratio", ratio, minCjkRatio);
    Matcher m = SPAM.matcher(t);
    int spam = 0;
    java.util.Set<String> distinct = null;
    for (int at = find(m, SPAM_FIRST, t, 0); at >= 0; at = find(m, SPAM_FIRST, t, m.end())) {
      spam++;
      if (distinct == null) distinct = new java.util.HashSet<>();
      distinct.add(m.group().startsWith("￥") ? "￥" : m.group());
    }
    double spamDensity = spam * 1000.0 / Math.max(1, nonSpace);
    // One word used often (a review that says 优惠 five times) is not spam; a mix of solicitations is.
    if (distinct != null && distinct.size() >= MIN_DISTINCT_SPAM_PATTERNS && spamDensity > maxSpamPer1000) {
      return Verdict.reject("zh_spam_density", spamDensity, maxSpamPer1000);
    }
    if (find(CONTACT.matcher(t), CONTACT_FIRST, t, 0) >= 0) return Verdict.reject("zh_contact_solicitation", 1, 0);
    double specialRatio = special / (double) Math.max(1, nonSpace);
    if (specialRatio > maxSpecialRatio) return Verdict.reject("zh_special_char_ratio", specialRatio, maxSpecialRatio);
    if (longestRun >= maxCharRun) return Verdict.reject("zh_char_run", longestRun, maxCharRun);
    return Verdict.keep();
  }

  private static boolean[] firstChars(String[] alternatives) {
    boolean[] first = new boolean[Character.MAX_VALUE + 1];
    for (String a : alternatives) {
      char c = a.charAt(0);
      if ("\\([.^$?*+{".indexOf(c) >= 0) throw new IllegalStateException("alternative does not start with a literal: " + a);
      first[c] = true;
      if (c < 0x80) {
        first[Character.toLowerCase(c)] = true;
        first[Character.toUpperCase(c)] = true;
      }
    }
    return first;
  }

  /**
   * The next match of {@code m} at or after {@code from}, as {@link Matcher#find(int)} would
   * give it, trying the pattern only where a match can start (the regex engine would try every
   * alternative at every character); returns its start (then {@code m} holds it) or -1.
   */
  private static int find(Matcher m, boolean[] first, String t, int from) {
    m.useTransparentBounds(true);
    for (int i = from, n = t.length(); i < n; i++) {
      if (!first[t.charAt(i)]) continue;
      m.region(i, n);
      if (m.lookingAt()) return i;
    }
    return -1;
  }

  /** For tests and reports: the spam patterns found in a text. */
  static List<String> spamMatches(String text) {
    List<String> out = new java.util.ArrayList<>();
    Matcher m = SPAM.matcher(text);
    while (m.find()) out.add(m.group());
    return out;
  }
}
