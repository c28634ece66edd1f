package dev.sieve.generate;

import dev.sieve.generate.text.LanguagePack;
import java.util.SplittableRandom;

/**
 * Renders a generated document as the HTML page a crawler would fetch: a cookie banner, a
 * header with a navigation menu, the article (title, headings, paragraphs, lists), an aside of
 * related links and a footer. Boilerplate comes in the page's language from its
 * {@link LanguagePack}; class and id names vary like real CMS themes do.
 */
final class HtmlPage {
  private static final String[] NAV_CLASSES = {"main-nav", "menu", "navbar", "site-navigation", "top-menu"};
  private static final String[] MAIN_WRAPPERS = {"article", "div class=\"post-content\"", "div class=\"entry\"", "section class=\"story\""};

  private HtmlPage() {}

  static String render(GeneratedDoc d, LanguagePack pack, SplittableRandom r) {
    StringBuilder h = new StringBuilder(4096 + d.text().length() * 2);
    h.append("<!DOCTYPE html>\n<html lang=\"").append(d.declaredLang).append("\">\n<head>\n");
    if (d.charsetInMeta) {
      if (r.nextBoolean()) h.append("<meta charset=\"").append(d.charset).append("\">\n");
      else h.append("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=").append(d.charset).append("\">\n");
    }
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.append("<title>").append(esc(d.title)).append(" | ").append(d.site).append("</title>\n");
    h.append("<link rel=\"stylesheet\" href=\"/static/site.css\">\n");
    h.append("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}</script>\n");
    h.append("</head>\n<body>\n");

    if (r.nextInt(4) != 0) {
      h.append("<div id=\"cookie-banner\" class=\"cookie-consent\"><p>")
          .append(esc(pack.cookieBanner.get(r.nextInt(pack.cookieBanner.size()))))
          .append("</p><button class=\"accept\">OK</button></div>\n");
    }
    String navClass = NAV_CLASSES[r.nextInt(NAV_CLASSES.length)];
    h.append("<header class=\"site-header\"><a class=\"logo\" href=\"/\">").append(d.site).append("</a>\n<nav class=\"")
        .append(navClass).append("\"><ul>");
    int navItems = 5 + r.nextInt(6);
    int start = r.nextInt(pack.nav.size());
    for (int i = 0; i < navItems; i++) {
      String item = pack.nav.get((start + i) % pack.nav.size());
      h.append("<li><a href=\"/").append(slug(item, i)).append("\">").append(esc(item)).append("</a></li>");
    }
    h.append("</ul></nav></header>\n");

    h.append("<main>\n");
    String wrapper = MAIN_WRAPPERS[r.nextInt(MAIN_WRAPPERS.length)];
    String wrapperTag = wrapper.contains(" ") ? wrapper.substring(0, wrapper.indexOf(' ')) : wrapper;
    h.append('<').append(wrapper).append(">\n");
    if (d.quality != Quality.BOILERPLATE_ONLY) {
      h.append("<h1>").append(esc(d.title)).append("</h1>\n");
    }
    boolean inList = false;
    for (Block b : d.blocks) {
      if (b.type() == Block.Type.LIST_ITEM) {
        if (!inList) {
          h.append(d.quality == Quality.LINK_LIST ? "<ul class=\"link-list\">\n" : "<ul>\n");
          inList = true;
        }
        if (d.quality == Quality.LINK_LIST) {
          h.append("<li><a href=\"/").append(d.topic).append('/').append(slug(b.text(), r.nextInt(100000))).append("\">")
              .append(esc(b.text())).append("</a></li>\n");
        } else {
          h.append("<li>").append(esc(b.text())).append("</li>\n");
        }
        continue;
      }
      if (inList) {
        h.append("</ul>\n");
        inList = false;
      }
      if (b.type() == Block.Type.HEADING) h.append("<h2>").append(esc(b.text())).append("</h2>\n");
      else h.append("<p>").append(esc(b.text())).append("</p>\n");
    }
    if (inList) h.append("</ul>\n");
    h.append("</").append(wrapperTag).append(">\n");

    h.append("<aside class=\"related\"><h3>").append(esc(pack.related.get(r.nextInt(pack.related.size())))).append("</h3><ul>");
    int related = 3 + r.nextInt(5);
    for (int i = 0; i < related; i++) {
      String t = pack.related.get(r.nextInt(pack.related.size()));
      h.append("<li><a href=\"/").append(d.topic).append('/').append(slug(t, r.nextInt(100000))).append("\">").append(esc(t)).append("</a></li>");
    }
    h.append("</ul></aside>\n</main>\n");

    h.append("<footer class=\"site-footer\">");
    int lines = 1 + r.nextInt(3);
    for (int i = 0; i < lines; i++) {
      String line = pack.footer.get(r.nextInt(pack.footer.size()))
          .replace("{site}", d.site).replace("{year}", String.valueOf(2024 + r.nextInt(3)));
      h.append("<p>").append(esc(line)).append("</p>");
    }
    h.append("</footer>\n");
    h.append("<script src=\"/static/app.js\" async></script>\n</body>\n</html>\n");
    return h.toString();
  }

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String slug(String s, int salt) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 40; i++) {
      char c = Character.toLowerCase(s.charAt(i));
      if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') sb.append(c);
      else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '-') sb.append('-');
    }
    if (sb.length() == 0 || sb.length() < 3) sb.append("p").append(salt);
    return sb.toString();
  }
}
