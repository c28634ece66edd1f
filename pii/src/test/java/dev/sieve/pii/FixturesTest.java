package dev.sieve.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Real-world text from ../shared/fixtures (system property {@code sieve.fixtures}, set by the root
 * pom): a Common Crawl WET sample and 2,500 lines of CLUECorpusSmall. Skipped when absent.
 */
class FixturesTest {
  private static Path fixture(String rel) {
    Path f = Path.of(System.getProperty("sieve.fixtures", "../../shared/fixtures")).resolve(rel);
    assumeTrue(Files.isRegularFile(f), "fixture " + f + " absent: skipped");
    return f;
  }

  @Test
  void commonCrawlWet() throws Exception {
    Path f = fixture("commoncrawl/cc-main-2016-50-sample.wet.gz");
    String all;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
      all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    PiiScrubber s = PiiScrubber.defaults();
    Pattern uri = Pattern.compile("WARC-Target-URI: (\\S+)");
    Map<String, Integer> counts = new TreeMap<>();
    int odessa = 0, records = 0;
    for (String rec : all.split("WARC/1\\.0\r?\n")) {
      int body = rec.indexOf("\n\n"); // this sample's headers end with LF only
      if (body < 0) continue;
      Matcher m = uri.matcher(rec);
      String host = m.find() ? URI.create(m.group(1)).getHost() : null;
      String text = rec.substring(body + 2);
      PiiScrubber.Result r = s.scrub(text, null, host);
      records++;
      r.counts().forEach((k, v) -> counts.merge(k, v, Integer::sum));
      if (text.contains("+ 38 048 738 08 08")) {
        odessa++;
        assertFalse(r.text().contains("738 08 08"), "Odessa phone left in " + host);
        assertTrue(r.text().contains("<PHONE>"));
      }
    }
    System.out.println("WET sample: " + records + " records, PII replaced " + counts);
    assertEquals(5, odessa, "records with the Odessa phone");
  }

  @Test
  void clueCorpusChineseMobiles() throws Exception {
    Path f = fixture("zh/CLUECorpusSmall_sampled.txt");
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    PiiScrubber s = PiiScrubber.defaults();
    Pattern mobile = Pattern.compile("(?<![0-9])1[3-9][0-9]{9}(?![0-9])");
    Map<String, Integer> counts = new TreeMap<>();
    int mobiles = 0;
    for (String line : lines) {
      PiiScrubber.Result r = s.scrub(line, "zh", null);
      r.counts().forEach((k, v) -> counts.merge(k, v, Integer::sum));
      Matcher m = mobile.matcher(line);
      while (m.find()) {
        mobiles++;
        assertFalse(r.text().contains(m.group()), "mobile left in line " + lines.indexOf(line));
      }
      // Without a language hint the Han text alone turns the Chinese mobile pattern on.
      Matcher m2 = mobile.matcher(line);
      if (m2.find()) assertFalse(s.scrub(line, null, null).text().contains(m2.group()));
    }
    System.out.println("CLUECorpusSmall_sampled: " + lines.size() + " lines, bare 11-digit mobiles " + mobiles + ", PII replaced " + counts);
    assertEquals(10, mobiles);
    // A landline next to a mobile: both go.
    String line = lines.stream().filter(l -> l.contains("029-83938886")).findFirst().orElseThrow();
    assertFalse(s.scrub(line, "zh", null).text().contains("83938886"));
  }
}
