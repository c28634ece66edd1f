package dev.sieve.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Doc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real files written by others (../shared/fixtures); each test skips with a message when they are absent. */
class FixtureReadersTest {
  record Read(List<Doc> docs, List<IngestRecord> other) {}

  static Read read(InputFormat f, String fixture) throws Exception {
    List<Doc> docs = new ArrayList<>();
    List<IngestRecord> other = new ArrayList<>();
    long n = 0;
    DocAssembler asm = new DocAssembler(new LanguageIdentifier());
    try (RecordReader r = Readers.open(f, RecordSource.of(Fixtures.file(fixture)), new IngestSettings())) {
      while (r.hasNext()) {
        IngestRecord rec = r.next();
        if (rec instanceof IngestRecord.Parsed p) asm.assemble(p.doc(), "test").ifPresent(docs::add);
        else other.add(rec);
        n++;
      }
      assertEquals(n, r.framed(), fixture + ": every framed record has one outcome");
    }
    return new Read(docs, other);
  }

  @Test
  void commonCrawlWetYieldsAll68ConversionRecords() throws Exception {
    Read r = read(InputFormat.WET, "commoncrawl/cc-main-2016-50-sample.wet.gz");
    assertEquals(68, r.docs().size());
    assertEquals(List.of(new IngestRecord.Skipped("warc_warcinfo", r.other().get(0) instanceof IngestRecord.Skipped s ? s.sourceFile() : "", 0)),
        r.other(), "no record quarantined: the file's LF line ends are read by boundaries (the warcinfo record is skipped)");
    Doc first = r.docs().get(0);
    assertEquals("http://08.od.ua/foxy_foksi_sportivnyy_klub/contacts", first.url());
    assertEquals("08.od.ua", first.domain(), "od.ua is a public suffix");
    assertEquals(Instant.parse("2016-12-11T14:00:57Z"), first.fetchTime());
    assertEquals("ru", first.language());
    assertTrue(first.text().startsWith("Foxy, спортивный клуб в Одессе - Контакты"), first.text());
    assertEquals("commoncrawl", first.source());
    assertEquals("http://0x3f.org/blog/bye-mac/", r.docs().get(10).url());
    assertEquals("zh", r.docs().get(10).language(), "traditional Chinese is zh too");
    assertEquals("fr", r.docs().get(44).language());
    assertEquals("vi", r.docs().get(36).language());
    assertEquals("tr", r.docs().get(13).language());
    assertEquals("http://2020ok.com/books/90/full%2Dcircle%2D27990.htm", r.docs().get(67).url());
    assertEquals("en", r.docs().get(67).language());
  }

  @Test
  void commonCrawlWarcPagesBecomeCleanText() throws Exception {
    Read r = read(InputFormat.WARC, "commoncrawl/cc-main-2016-50-sample.warc.gz");
    assertEquals(6, r.docs().size());
    Doc foxy = r.docs().get(0);
    assertEquals("Foxy, спортивный клуб в Одессе - Контакты", foxy.title());
    assertTrue(foxy.text().contains("г. Одесса, Ул. Прохоровская, 12, 2 этаж"), foxy.text());
    // The site menu (in the WET version of the same page) is gone.
    for (String menu : List.of("О фирме", "Каталог продукции", "Справочная Одессы")) assertFalse(foxy.text().contains(menu), menu);
    assertEquals("ru", foxy.language());
    assertEquals("UTF-8", foxy.metadata().get("charset"));

    Read cc = read(InputFormat.WARC, "commoncrawl/commoncrawl-org-response.warc.gz");
    assertEquals(1, cc.docs().size());
    assertEquals("Common Crawl", cc.docs().get(0).title());
    assertTrue(cc.docs().get(0).text().contains("We build and maintain an open repository of web crawl data that can be accessed and analyzed by anyone."));
    assertEquals("en", cc.docs().get(0).language());
  }

  @Test
  void wudaoRecordsVariantAndDemoJsonl() throws Exception {
    Read w = read(InputFormat.WUDAO, "zh/wudao-records-jinrong.json");
    assertEquals(21, w.docs().size());
    assertEquals(21, w.docs().stream().map(Doc::docId).distinct().count(), "every record has uniqueKey \"\": they are keyed by id");
    assertTrue(w.docs().stream().allMatch(d -> d.language().equals("zh")));
    assertTrue(w.docs().get(0).text().startsWith("平安信用卡上门激活失败是为啥？"));
    assertEquals("wudao", w.docs().get(0).source());

    Read j = read(InputFormat.JSONL, "zh/wudao-demo.jsonl");
    assertEquals(20, j.docs().size());
    for (int i = 0; i < 10; i++) assertEquals("zh", j.docs().get(i).language(), "WuDao document " + i);
    for (int i = 10; i < 20; i++) assertEquals("en", j.docs().get(i).language(), "web document " + i);
  }

  @Test
  void clueCorpusOneDocumentPerLine() throws Exception {
    Read r = read(InputFormat.TEXT, "zh/CLUECorpusSmall_sampled.txt");
    assertEquals(List.of(), r.other());
    assertEquals(2500, r.docs().size());
    long zh = r.docs().stream().filter(d -> d.language().equals("zh")).count();
    assertTrue(zh >= r.docs().size() * 0.97, "Chinese: " + zh + " of " + r.docs().size());
  }
}
