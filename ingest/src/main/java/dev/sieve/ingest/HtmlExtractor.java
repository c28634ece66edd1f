package dev.sieve.ingest;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;

/**
 * Turns an HTML page into its main text with jsoup and a rule-based boilerplate remover, in the
 * spirit of jusText and trafilatura: page chrome is dropped (scripts, forms, {@code nav},
 * {@code header}, {@code footer}, {@code aside}, ARIA navigation/banner/contentinfo roles, and
 * elements whose id or class names cookie banners, menus, sidebars, share bars, related links,
 * comments, ads), the main container is taken when the page marks one ({@code article},
 * {@code main}), and blocks that are mostly link text (menus, link lists) are dropped. Headings,
 * paragraphs, list items, quotes and preformatted text are kept, one block per line.
 */
public final class HtmlExtractor {
  /** A block whose link text is more than this share of its text is navigation, not content. */
  public static final double DEFAULT_MAX_LINK_DENSITY = 0.5;

  private static final Set<String> LEAF_BLOCKS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
      "dt", "dd", "figcaption", "td", "th", "caption", "address", "summary");
  private static final Set<String> CONTAINERS = Set.of("div", "section", "article", "main", "ul", "ol", "dl", "table", "tbody",
      "thead", "tfoot", "tr", "figure", "details", "center", "body", "html", "hr", "br", "fieldset", "hgroup", "span-block");
  private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");
  private static final String CHROME_TAGS = "script, style, noscript, template, iframe, svg, canvas, form, button, input, select, "
      + "textarea, nav, footer, aside, menu, dialog, object, embed, head";
  private static final String CHROME_ROLES = "[role=navigation], [role=banner], [role=contentinfo], [role=complementary], "
      + "[role=search], [role=dialog], [role=alertdialog], [hidden], [aria-hidden=true]";
  private static final Set<String> CHROME_TAG_SET = Set.of(CHROME_TAGS.split(",\\s*"));
  private static final Set<String> CHROME_ROLE_SET = Set.of("navigation", "banner", "contentinfo", "complementary", "search", "dialog",
      "alertdialog");
  private static final Pattern CHROME_NAMES = Pattern.compile(
      "(?i)(^|[-_\\s])(cookies?|consent|gdpr|banner|nav|navbar|navigation|menu|menubar|topbar|footer|header|masthead|sidebar|"
          + "breadcrumbs?|related|share|sharing|social|comments?|advert|advertisement|ads?|sponsored|promo|newsletter|subscribe|"
          + "popup|modal|pagination|pager|widget|toolbar|skip|tags|tagcloud|copyright|login|signup)([-_\\s]|$)");
  // Selectors parsed once (parsing one costs more than matching it on a page); these evaluators keep no state.
  private static final Evaluator HTML = QueryParser.parse("html");
  private static final Evaluator ARTICLE_OR_MAIN = QueryParser.parse("article, main");
  private static final Evaluator MAIN_CONTAINERS = QueryParser.parse("article, main, [role=main], [itemprop=articleBody]");
  private static final Pattern TITLE_SUFFIX = Pattern.compile("\\s+(\\||–|—|::|·)\\s+[^|–—:·]{1,60}$");

  private final double maxLinkDensity;

  public HtmlExtractor() {
    this(DEFAULT_MAX_LINK_DENSITY);
  }

  public HtmlExtractor(double maxLinkDensity) {
    if (!(maxLinkDensity > 0 && maxLinkDensity <= 1)) throw new IllegalArgumentException("maxLinkDensity must be in (0, 1]: " + maxLinkDensity);
    this.maxLinkDensity = maxLinkDensity;
  }

  /**
   * The extracted page. {@code title} has a trailing " | Site name" removed; {@code rawTitle} is the {@code <title>} as is.
   *
   * @param charsetRejected the declared charset given up for one that decodes the page cleanly, or null
   * @param repairs what decoding and normalising repaired ({@link Repairs})
   */
  public record Page(String title, String rawTitle, String text, String htmlLang, Charset charset, String charsetFrom,
                     Charset charsetRejected, Repairs repairs) {}

  public Page extract(byte[] body, String headerCharset, String baseUri) {
    CharsetSniffer.Decoded d = CharsetSniffer.decode(body, headerCharset);
    Repairs repairs = new Repairs();
    repairs.add(d.charset().equals(java.nio.charset.StandardCharsets.UTF_8) ? Repairs.INVALID_UTF8 : Repairs.INVALID_BYTES, d.invalid());
    if (d.rejected() != null) repairs.add(Repairs.CHARSET_FALLBACK, 1);
    return extract(d.text(), baseUri, d.charset(), d.from(), d.rejected(), repairs);
  }

  public Page extract(String html, String baseUri) {
    return extract(html, baseUri, java.nio.charset.StandardCharsets.UTF_8, "string", null, new Repairs());
  }

  private Page extract(String html, String baseUri, Charset charset, String charsetFrom, Charset rejected, Repairs repairs) {
    Document doc = Jsoup.parse(html, baseUri == null ? "" : baseUri);
    Element htmlEl = doc.selectFirst(HTML);
    String lang = htmlEl == null ? null : blankToNull(htmlEl.attr("lang"));
    String rawTitle = doc.title().strip();
    String title = cleanTitle(rawTitle);

    Element body = doc.body();
    removeChrome(body);

    Element root = mainContainer(body);
    List<String> blocks = new ArrayList<>();
    visit(root, blocks, blockDescendants(root));
    if (!blocks.isEmpty() && !title.isEmpty() && sameText(blocks.get(0), title, rawTitle)) blocks.remove(0);
    String text = TextNormalizer.normalize(String.join("\n", blocks), repairs);
    return new Page(title, rawTitle, text, lang, charset, charsetFrom, rejected, repairs);
  }

  private static boolean sameText(String block, String title, String rawTitle) {
    return block.equals(title) || block.equals(rawTitle);
  }

  static String cleanTitle(String raw) {
    String t = raw.strip();
    if (!hasSeparator(t)) return t;   // most titles: the suffix pattern cannot match, skip the regex scan
    String stripped = TITLE_SUFFIX.matcher(t).replaceFirst("");
    return stripped.length() >= 3 ? stripped : t;
  }

  /** Whether {@code t} holds one of {@link #TITLE_SUFFIX}'s separators ({@code | – — :: ·}). */
  private static boolean hasSeparator(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '|' || c == '\u2013' || c == '\u2014' || c == '\u00B7' || (c == ':' && i + 1 < t.length() && t.charAt(i + 1) == ':')) return true;
    }
    return false;
  }

  /**
   * Removes page chrome in one walk over the body: elements with a {@link #CHROME_TAGS} tag or a
   * {@link #CHROME_ROLES} role or flag, {@code header}s outside {@code article}/{@code main}, and
   * elements (but {@code main} and {@code article}) whose id or class names chrome
   * ({@link #CHROME_NAMES}). Whether an element matches depends only on itself and its ancestors,
   * which removing other subtrees does not change, so one walk removes what the four selections
   * applied one after the other would.
   */
  private static void removeChrome(Element body) {
    List<Element> doomed = new ArrayList<>();
    for (Element e : body.getAllElements()) {
      if (e == body) continue;
      if (isChrome(e)) doomed.add(e);
    }
    for (Element e : doomed) {
      if (e.parent() != null) e.remove();
    }
  }

  private static boolean isChrome(Element e) {
    String tag = e.normalName();
    if (CHROME_TAG_SET.contains(tag)) return true;
    if (e.attributesSize() == 0) return tag.equals("header") && e.closest(ARTICLE_OR_MAIN) == null;
    // As jsoup's [attr=value]: the value trimmed, compared ignoring case.
    String role = e.attr("role");
    if (!role.isEmpty() && CHROME_ROLE_SET.contains(role.trim().toLowerCase(Locale.ROOT))) return true;
    if (e.hasAttr("hidden") || e.attr("aria-hidden").trim().equalsIgnoreCase("true")) return true;
    if (tag.equals("header") && e.closest(ARTICLE_OR_MAIN) == null) return true;
    if (tag.equals("main") || tag.equals("article")) return false;
    String id = e.id();
    String cls = e.className();
    if (id.isBlank() && cls.isBlank()) return false;
    return CHROME_NAMES.matcher(id + " " + cls).find();
  }

  private static Element mainContainer(Element body) {
    Element best = null;
    int bestLen = 0;
    for (Element e : body.select(MAIN_CONTAINERS)) {
      int len = textLength(e);
      if (len > bestLen) {
        best = e;
        bestLen = len;
      }
    }
    // A marked container must hold a fair share of the page, else the marks are decoration.
    return best != null && bestLen >= textLength(body) * 0.3 ? best : body;
  }

  /** Characters of text under {@code e}, counted without building the text (cheaper than {@code text().length()}). */
  private static int textLength(Element e) {
    int[] n = {0};
    e.traverse((node, depth) -> {
      if (node instanceof TextNode t) n[0] += strippedLength(t.getWholeText());
    });
    return n[0];
  }

  /** {@code s.strip().length()} without the copy. */
  private static int strippedLength(String s) {
    int b = 0, e = s.length();
    while (b < e && Character.isWhitespace(s.charAt(b))) b++;
    while (e > b && Character.isWhitespace(s.charAt(e - 1))) e--;
    return e - b;
  }

  /** Collects blocks under {@code container}: leaf blocks whole, and runs of inline content between blocks. */
  private void visit(Element container, List<String> blocks, java.util.Map<Element, Boolean> blocky) {
    StringBuilder run = new StringBuilder();
    int[] runLinks = {0};
    for (Node n : container.childNodes()) {
      if (n instanceof TextNode t) {
        run.append(t.text());
        continue;
      }
      if (!(n instanceof Element e)) continue;
      String tag = e.normalName();
      boolean hasBlock = blocky.get(e) == Boolean.TRUE;
      boolean leaf = LEAF_BLOCKS.contains(tag) && !hasBlock;
      boolean block = leaf || LEAF_BLOCKS.contains(tag) || CONTAINERS.contains(tag) || hasBlock;
      if (!block) {
        String s = e.text();
        run.append(s);
        if (tag.equals("a")) runLinks[0] += s.length();
        else runLinks[0] += linkChars(e);
        continue;
      }
      flush(run, runLinks, blocks);
      if (leaf) {
        String s = tag.equals("pre") ? e.wholeText() : e.text();
        emit(s.strip(), linkChars(e), blocks, HEADINGS.contains(tag));
      } else {
        visit(e, blocks, blocky);
      }
    }
    flush(run, runLinks, blocks);
  }

  private void flush(StringBuilder run, int[] runLinks, List<String> blocks) {
    String s = run.toString().strip();
    if (!s.isEmpty()) emit(s, runLinks[0], blocks, false);
    run.setLength(0);
    runLinks[0] = 0;
  }

  private void emit(String s, int linkChars, List<String> blocks, boolean heading) {
    if (s.isEmpty()) return;
    if (!heading && linkChars > s.length() * maxLinkDensity) return;
    blocks.add(s);
  }

  /** Which elements under {@code root} have a block element below them, found in one walk (not once per element visited). */
  private static java.util.Map<Element, Boolean> blockDescendants(Element root) {
    java.util.Map<Element, Boolean> out = new java.util.IdentityHashMap<>();
    hasBlockDescendant(root, out);
    return out;
  }

  private static boolean hasBlockDescendant(Element e, java.util.Map<Element, Boolean> out) {
    boolean any = false;
    // childNode(i), not children(): that builds a list of the child elements for every element walked.
    for (int i = 0, n = e.childNodeSize(); i < n; i++) {
      if (!(e.childNode(i) instanceof Element c)) continue;
      String tag = c.normalName();
      // Every child is walked (no early exit), so each element's answer is recorded.
      if (hasBlockDescendant(c, out) || LEAF_BLOCKS.contains(tag) || CONTAINERS.contains(tag)) any = true;
    }
    if (any) out.put(e, Boolean.TRUE);
    return any;
  }

  private static int linkChars(Element e) {
    int n = 0;
    for (Element a : e.getElementsByTag("a")) n += a.text().length();
    return n;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
