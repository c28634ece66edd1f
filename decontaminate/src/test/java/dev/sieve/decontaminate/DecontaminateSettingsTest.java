package dev.sieve.decontaminate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code decontaminate:} section (bad values are one line naming the key) and the JSONL / CSV readers. */
class DecontaminateSettingsTest {
  static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> SieveConfig.parse(yaml)).getMessage();
  }

  @Test
  void offByDefaultAndBadValuesNameTheirKey() {
    DecontaminateSettings d = SieveConfig.defaults().section("decontaminate", DecontaminateSettings.class);
    assertFalse(d.enabled());
    assertEquals(13, d.ngram);
    assertEquals("drop", d.policy);
    DecontaminateSettings on = SieveConfig.parse("decontaminate:\n  benchmarks:\n    - {name: mmlu, path: /x.jsonl, fields: [question]}\n")
        .section("decontaminate", DecontaminateSettings.class);
    assertTrue(on.enabled());
    assertEquals("bad value for 'decontaminate.policy': erase (drop or cut)", error("decontaminate:\n  policy: erase\n"));
    assertTrue(error("decontaminate:\n  benchmarks:\n    - {name: mmlu, path: /x.jsonl}\n").startsWith("bad value for 'decontaminate.benchmarks[0].fields'"));
    assertTrue(error("decontaminate:\n  benchmarks:\n    - {name: MMLU, path: /x.jsonl, fields: [q]}\n")
        .startsWith("bad value for 'decontaminate.benchmarks[0].name'"));
    assertTrue(error("decontaminate:\n  benchmarks:\n    - {name: a, path: /x.jsonl, fields: [q]}\n    - {name: a, path: /y.csv, fields: [q]}\n")
        .contains("'decontaminate.benchmarks[1].name'"));
    assertTrue(error("decontaminate:\n  ngram: 0\n").startsWith("bad value for 'decontaminate.ngram'"));
    assertTrue(error("decontaminate:\n  min_tokens: 20\n").startsWith("bad value for 'decontaminate.min_tokens'"));
    assertTrue(error("decontaminate:\n  benchmarks:\n    - {name: a, path: /x.jsonl, fields: [q], colour: red}\n")
        .startsWith("unknown config key 'decontaminate.benchmarks[0].colour'"));
  }

  @Test
  void readsJsonlAndCsvItemsWithIdsOrNumbers() throws Exception {
    BenchmarkIndex.Builder b = BenchmarkIndex.builder(13, 13, 8).benchmark("csv");
    DecontaminateSettings.Benchmark csv = new DecontaminateSettings.Benchmark("csv", "/x/e.csv", List.of("question", "A"), null);
    String text = "question,A,answer\r\n\"one two three four five six seven eight, nine \"\"ten\"\" eleven\ntwelve thirteen\",x,A\r\n"
        + "second question here,y,B\r\n";
    assertEquals(2, new BenchmarkReader(csv, "k", b).read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "csv"));
    b.benchmark("jsonl");
    DecontaminateSettings.Benchmark jsonl = new DecontaminateSettings.Benchmark("jsonl", "/x/m.jsonl", List.of("question", "choices"), "id");
    String lines = "{\"id\": 7, \"question\": \"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi\", \"choices\": [\"a\", \"b\"]}\n\n"
        + "{\"question\": \"no id here\"}\n";
    assertEquals(2, new BenchmarkReader(jsonl, "k", b).read(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), "jsonl"));
    Decontaminator d = new Decontaminator(b.build());
    Decontaminator.Scan s = d.scan("Q: One two three four five six seven eight nine TEN eleven twelve thirteen!");
    assertEquals("csv/1", s.hits().get(0).benchmark() + "/" + s.hits().get(0).itemId());
    s = d.scan("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi");
    assertEquals("jsonl/7", s.hits().get(0).benchmark() + "/" + s.hits().get(0).itemId());
    assertEquals("jsonl", BenchmarkReader.format(jsonl));
    assertEquals("csv", BenchmarkReader.format(new DecontaminateSettings.Benchmark("c", "/x/E.CSV.gz", List.of("q"), null)));
    DecontaminateSettings.Benchmark wrong = new DecontaminateSettings.Benchmark("w", "/x/w.jsonl", List.of("prompt"), null);
    String msg = assertThrows(ConfigException.class, () -> new BenchmarkReader(wrong, "decontaminate.benchmarks[2]", BenchmarkIndex.builder(13, 13, 8)
        .benchmark("w")).read(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)), "jsonl")).getMessage();
    assertTrue(msg.startsWith("bad value for 'decontaminate.benchmarks[2].fields'"), msg);
  }
}
