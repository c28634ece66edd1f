package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sieve report} on {@link TinyLake}: the HTML is self-contained, has every chart with the
 * expected number of bars, and renders in headless Chromium with its script running cleanly.
 * The browser part is skipped, with a message, where no Chromium is installed
 * ({@code apt-get install -y chromium}; {@code SIEVE_CHROMIUM} names another binary).
 */
class ReportCommandTest {
  /** Bars (or lines) each chart of the tiny lake's report must have. */
  static final Map<String, Integer> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("funnel", 5);           // ingested, filtered, deduped, clean, tokenized
    EXPECTED.put("rule-drops", 2);       // gopher_quality, zh_quality
    EXPECTED.put("length-en", 10);       // one bar per length bucket
    EXPECTED.put("length-zh", 10);
    EXPECTED.put("length-de", 10);
    EXPECTED.put("cluster-sizes", 2);    // sizes 2 and 3
    EXPECTED.put("pii-kinds", 3);        // email, ip_address, phone
    EXPECTED.put("tokens-source", 2);    // commoncrawl, wudao
    EXPECTED.put("tokens-language", 2);  // en, zh
    EXPECTED.put("loss", 2);             // train-a loss and val loss (lines)
  }

  @Test
  void writesSelfContainedHtmlWithEveryChart(@TempDir Path dir) throws Exception {
    Lake lake = TinyLake.get();
    Path html = dir.resolve("out/report.html");
    SieveCliTest.Run r = SieveCliTest.sieve("report", "--lake", lake.root(), "--out", html.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("report: " + html.toAbsolutePath()), r.out());
    String page = Files.readString(html, StandardCharsets.UTF_8);

    assertEquals(EXPECTED, itemsPerChart(page), "charts and their bars in the written HTML");
    // Self-contained: nothing loaded from anywhere (the SVG namespace is a name, not a fetch).
    assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(page).find(), "external reference");
    assertFalse(page.replace("http://www.w3.org/2000/svg", "").matches("(?s).*https?://.*"), "a URL in the page");
    assertFalse(page.contains(TinyLake.EMAIL));
    assertTrue(page.contains("<td>train-a</td><td class=\"r\">20</td><td class=\"r\">20</td>"), "20 steps, not 25 metric lines");
    assertTrue(page.contains("data-status=\"static\""));
    // the length histogram is per language, the funnel labelled with shares
    assertTrue(page.contains("<b>en</b> · 6 documents"), "en histogram caption");
    assertTrue(page.contains(">7 (70.0%)</text>"), "filtered bar text");
    assertTrue(page.contains("<title>2: 1 clusters</title>") && page.contains("<title>3: 1 clusters</title>"), "cluster size tooltips");

    Path chromium = chromium();
    Assumptions.assumeTrue(chromium != null,
        "chromium not found: headless render check skipped (Debian: apt-get install -y chromium; or set SIEVE_CHROMIUM)");
    String dom = dumpDom(chromium, html, dir);
    Matcher st = Pattern.compile("<span id=\"render-status\"([^>]*)>").matcher(dom);
    assertTrue(st.find(), "no #render-status in the DOM Chromium dumped:\n" + tail(dom));
    String attrs = st.group(1);
    assertTrue(attrs.contains("data-status=\"ok\""), "the page's script did not finish: " + attrs);
    int bars = EXPECTED.entrySet().stream().filter(e -> !e.getKey().equals("loss")).mapToInt(Map.Entry::getValue).sum();
    assertTrue(attrs.contains("data-charts=\"" + EXPECTED.size() + "\""), attrs);
    assertTrue(attrs.contains("data-bars=\"" + bars + "\""), attrs);
    assertTrue(attrs.contains("data-lines=\"2\""), attrs);
    assertEquals(EXPECTED, itemsPerChart(dom), "charts and their bars in the rendered DOM");
    assertTrue(dom.contains("data-bars-rendered=\"5\""), "the script visited the funnel chart");

    // A screenshot for people (target/report-test/report.png); not asserted beyond being written.
    Path shot = Path.of("target", "report-test", "report.png").toAbsolutePath();
    Files.createDirectories(shot.getParent());
    Files.copy(html, shot.resolveSibling("report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    run(chromium, dir, "--screenshot=" + shot, "--window-size=1280,3200", html.toUri().toString());
    assertTrue(Files.size(shot) > 10_000, "screenshot written");
  }

  @Test
  void emptyLakeStillGivesAPage(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("empty.html");
    SieveCliTest.Run r = SieveCliTest.sieve("report", "--lake", dir.resolve("no-lake").toString(), "--out", html.toString());
    assertEquals(0, r.code(), r.err());
    String page = Files.readString(html);
    assertTrue(page.contains("The lake has no documents yet"), page);
    assertTrue(page.contains("No shards yet") && page.contains("No training metrics yet"));
    assertEquals(Map.of(), itemsPerChart(page));
    assertEquals(2, SieveCliTest.sieve("report", "--lake", dir.toString()).code(), "--out is required");
  }

  /** Chart id → its bars (or, for line charts, lines), in page order. */
  static Map<String, Integer> itemsPerChart(String page) {
    Map<String, Integer> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?s)<svg class=\"chart\" data-chart=\"([^\"]+)\"(.*?)</svg>").matcher(page);
    while (m.find()) {
      String body = m.group(2);
      int bars = count(body, "class=\"bar\"");
      int lines = count(body, "class=\"line\"");
      out.put(m.group(1), bars + lines);
    }
    return out;
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) n++;
    return n;
  }

  /** {@code SIEVE_CHROMIUM}, or chromium / chromium-browser / google-chrome on the PATH; null when none. */
  static Path chromium() {
    String env = System.getenv("SIEVE_CHROMIUM");
    if (env != null && !env.isBlank()) return Path.of(env);
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : new String[] {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return p;
      }
    }
    return null;
  }

  private static String dumpDom(Path chromium, Path html, Path work) throws Exception {
    return run(chromium, work, "--dump-dom", html.toUri().toString());
  }

  /** Runs headless Chromium (its own profile under {@code work}); returns stdout, fails on a non-zero exit. */
  private static String run(Path chromium, Path work, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu", "--no-sandbox",
        "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--user-data-dir=" + work.resolve("chromium-profile")));
    cmd.addAll(List.of(args));
    Path stdout = work.resolve("chromium.out");
    Path stderr = work.resolve("chromium.err");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + String.join(" ", cmd));
    }
    String out = Files.readString(stdout);
    assertEquals(0, p.exitValue(), "chromium failed: " + String.join(" ", cmd) + "\n" + tail(Files.readString(stderr)));
    return out;
  }

  private static String tail(String s) {
    return s.length() <= 2000 ? s : "..." + s.substring(s.length() - 2000);
  }
}
