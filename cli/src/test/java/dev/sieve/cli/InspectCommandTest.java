package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sieve inspect} on {@link TinyLake}: every section, with its numbers; and on an empty lake. */
class InspectCommandTest {
  private static void has(String out, String regex) {
    assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(out).find(), "no match for /" + regex + "/ in:\n" + out);
  }

  @Test
  void textShowsTablesHistoryFunnelSamplesShardsAndTraining() {
    Lake lake = TinyLake.get();
    SieveCliTest.Run r = SieveCliTest.sieve("inspect", "--lake", lake.root());
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    for (String section : new String[] {"TABLES", "HISTORY", "STAGE RUNS", "FUNNEL", "SAMPLES", "SHARDS", "TRAINING"}) {
      has(out, "^" + Pattern.quote(section));
    }
    // tables: version and rows
    has(out, "^  bronze/documents +bronze_documents +0 +10 ");
    has(out, "^  silver/filtered +silver_filtered +0 +7 ");
    // one appended commit per run: 5 runs, versions 0..4
    has(out, "^  _sieve/stage_runs +sieve_stage_runs +4 +5 ");
    has(out, "^  gold/training_metrics +gold_training_metrics +0 +25 ");
    // history: run id, stage and config hash from userMetadata
    String hash = SieveConfig.defaults().hash().substring(0, 8);
    has(out, "^  bronze/documents +0 +\\S+ \\S+Z +WRITE +ingest +ingest-t1 +" + hash + " +10");
    has(out, "^  silver/rejected +0 .* filter +filter-t1 +" + hash);
    // stage runs
    has(out, "^  ingest +1 +0 +ingest-t1 +SUCCEEDED .* 12 +10 +12 +10$");
    has(out, "^  filter counts: rejected_gopher_quality 2, rejected_zh_quality 1$");
    // funnel
    has(out, "^  ingested +bronze/documents +10 +100.0%$");
    has(out, "^  filtered +silver/filtered +7 +3 +70.0%$");
    has(out, "^  deduped +silver/deduped +4 +3 +40.0%$");
    has(out, "^  clean +silver/clean +4 +0 +40.0%$");
    has(out, "^  tokenized +gold/shard_manifest +4 +0 +40.0% +1,000$");
    has(out, "Filter drops by rule \\(silver/rejected, 3 documents\\)");
    has(out, "^    coarse +gopher_quality +2 +66.7%$");
    has(out, "^    coarse +zh_quality +1 +33.3%$");
    has(out, "Duplicates \\(silver/dup_clusters\\): 2 clusters holding 5 documents; removed 1 exact \\+ 2 near duplicates");
    has(out, "PII \\(silver/clean\\): 2 of 4 documents had PII; 4 spans replaced: email 2, ip_address 1, phone 1");
    has(out, "^  Contamination \\(silver/contamination\\): 2 documents matched a benchmark: cut 1, dropped 1; per benchmark gsm8k 1, mmlu 1$");
    has(out, "Quarantine \\(_sieve/quarantine\\): 2 records: invalid_json 1, truncated 1");
    // samples: per rule, raw PII scrubbed out of rejected text
    has(out, "^    gopher_quality +d08 +12 +50 +\"Contact me at <EMAIL> for cheap stuff\"$");
    has(out, "^    gopher_quality +d09 +2 +50 +\"Too short.\"$");
    has(out, "^    zh_quality +d10 +0.125 +0.3 +\"短文本。\"$");
    assertFalse(out.contains(TinyLake.EMAIL), "raw PII in the output");
    has(out, "^    cluster d01: 3 documents$");
    has(out, "^      kept +d01 +1.000 +\"A paragraph");
    has(out, "^      near +d03 +0.870 ");
    has(out, "^    cluster d04: 2 documents$");
    has(out, "^    d01 +email 2, phone 1 +\"Write to <EMAIL> or <EMAIL>, or call <PHONE>.");
    has(out, "^    d06 +ip_address 1 +\"服务器地址是 <IP_ADDRESS>。\"$");
    // shards and training
    has(out, "^  web +train +1 +3 +3 +900 +1.8 KiB$");
    has(out, "^  web +valid +1 +1 +1 +100 +200 B$");
    has(out, "^  tokenizer: gpt2 1$");
    has(out, "^  tokens by language: en 70.0% \\(700\\), zh 30.0% \\(300\\)$");
    has(out, "^  tokens by source: commoncrawl 60.0% \\(600\\), wudao 40.0% \\(400\\)$");
    // 25 metric lines, 20 steps: event lines are not counted, nor is the rollback's spike loss (0.5) a loss
    has(out, "^  train-a +20 +20 +4.9000 +3.0000 +3.0000 +3.2000 +3.2000 +3.00e-04$");

    SieveCliTest.Run one = SieveCliTest.sieve("inspect", "--lake", lake.root(), "--samples", "1");
    assertEquals(0, one.code(), one.err());
    assertFalse(one.out().contains("d09"), "one sample per rule");
    assertTrue(one.out().contains("cluster d01") && !one.out().contains("cluster d04"), one.out());
  }

  @Test
  void jsonIsOneDocumentWithTheSameNumbers() throws Exception {
    Lake lake = TinyLake.get();
    SieveCliTest.Run r = SieveCliTest.sieve("inspect", "--lake", lake.root(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(lake.root(), j.get("lake").asText());
    assertEquals(Lake.TABLES.size(), j.get("tables").size());
    JsonNode bronze = j.get("tables").get(0);
    assertEquals("bronze/documents", bronze.get("path").asText());
    assertEquals(10, bronze.get("rows").asLong());
    assertEquals("ingest-t1", bronze.get("history").get(0).get("run_id").asText());
    assertEquals("ingest", j.get("stage_runs").get(0).get("stage").asText());
    assertEquals(7, j.get("funnel").get("steps").get(1).get("documents").asLong());
    assertEquals(1000, j.get("funnel").get("steps").get(4).get("tokens").asLong());
    assertEquals(2, j.get("funnel").get("rule_drops").get(0).get("documents").asLong());
    assertEquals(2, j.get("funnel").get("dedup").get("near_removed").asLong());
    assertEquals(2, j.get("funnel").get("pii").get("spans_by_kind").get("email").asLong());
    assertEquals(3, j.get("samples").get("rejected").size());
    assertEquals("d08", j.get("samples").get("rejected").get(0).get("doc_id").asText());
    assertEquals(3, j.get("samples").get("clusters").get(0).get("members").size());
    assertEquals(1000, j.get("shards").get("tokens").asLong());
    assertEquals(3.0, j.get("training").get("runs").get(0).get("last_loss").asDouble(), 1e-9);
    assertEquals(20, j.get("training").get("runs").get(0).get("steps").asLong(), "steps, not the 25 metric lines");
    assertTrue(j.get("charts").isNull(), "inspect leaves the report's charts out");
    assertFalse(r.out().contains(TinyLake.EMAIL));
  }

  @Test
  void emptyLakeIsReportedNotAnError(@TempDir Path dir) throws Exception {
    SieveCliTest.Run r = SieveCliTest.sieve("inspect", "--lake", dir.toString());
    assertEquals(0, r.code(), r.err());
    has(r.out(), "^  bronze/documents +bronze_documents +- +- +\\(absent\\)$");
    has(r.out(), "^  gold/training_metrics +gold_training_metrics +- +- +\\(absent\\)$");
    has(r.out(), "^  ingested +bronze/documents +- .*\\(not yet\\)$");
    has(r.out(), "\\(no shards yet: run sieve tokenize\\)");
    has(r.out(), "\\(no training metrics yet\\)");
    JsonNode j = new ObjectMapper().readTree(SieveCliTest.sieve("inspect", "--lake", dir.toString(), "--json").out());
    assertEquals(-1, j.get("tables").get(0).get("version").asLong());
    assertTrue(j.get("shards").isNull() && j.get("training").isNull());

    SieveCliTest.Run bad = SieveCliTest.sieve("inspect", "--lake", dir.toString(), "--samples", "-1");
    assertEquals(2, bad.code());
    assertEquals("sieve: bad value for '--samples': -1 (must be at least 0)", bad.err().strip());
  }
}
