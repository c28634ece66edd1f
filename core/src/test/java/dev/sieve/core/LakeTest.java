package dev.sieve.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LakeTest {
  @Test
  void pathsUnderRoot() {
    assertEquals("./lake/bronze/documents", new Lake(null).path(Lake.BRONZE_DOCUMENTS));
    assertEquals("s3a://b/lake/_sieve/stage_runs", new Lake("s3a://b/lake/").path(Lake.STAGE_RUNS));
    assertEquals("/tmp/l/gold/shards/web", new Lake("/tmp/l").shardsPath("web"));
    assertThrows(IllegalArgumentException.class, () -> new Lake("x").path("/abs"));
  }

  @Test
  void recordedPathsAreLakeRelativeOrAbsolute() {
    String cwd = java.nio.file.Path.of("").toAbsolutePath().toString();
    Lake rel = new Lake("./lake");
    assertEquals("gold/shards/web/r1/train/part-00000", rel.relativize("./lake/gold/shards/web/r1/train/part-00000"));
    assertEquals("gold/tokenizers/demo/tokenizer.json", rel.relativize(cwd + "/lake/gold/tokenizers/demo/tokenizer.json"));
    assertEquals("gold/x", rel.relativize("file:" + cwd + "/lake/gold/x"));
    assertEquals(cwd + "/elsewhere/tok.json", rel.relativize("elsewhere/tok.json"), "outside the lake: absolute, not cwd-relative");
    assertEquals("/data/tok.json", rel.relativize("/data/tok.json"));
    assertEquals("s3a://b/tok.json", rel.relativize("s3a://b/tok.json"));
    Lake s3 = new Lake("s3a://b/lake");
    assertEquals("gold/shards/w", s3.relativize("s3a://b/lake/gold/shards/w"));
    assertEquals("s3a://b/lake/gold/shards/w", s3.resolve("gold/shards/w"));
    Lake abs = new Lake("/srv/lake");
    assertEquals("runs/r1/spec.yaml", abs.relativize("/srv/lake/runs/r1/spec.yaml"));
    assertEquals("/srv/lake/gold/shards/w", abs.resolve("gold/shards/w"));
    assertEquals("/old/lake/gold/shards/w", abs.resolve("/old/lake/gold/shards/w"), "absolute stays absolute");
    assertEquals("hdfs:///x/y", abs.resolve("hdfs:///x/y"));
    assertEquals("/srv/lake/gold/y", abs.resolve("./gold/y"));
    assertTrue(Lake.isAbsolute("file:/x") && Lake.isAbsolute("/x") && !Lake.isAbsolute("gold/x") && !Lake.isAbsolute("C:x"));
  }

  @Test
  void viewNamesFollowDesign() {
    assertEquals("bronze_documents", Lake.viewName(Lake.BRONZE_DOCUMENTS));
    assertEquals("sieve_stage_runs", Lake.viewName(Lake.STAGE_RUNS));
    assertEquals("sieve_quarantine", Lake.viewName(Lake.QUARANTINE));
    assertEquals("gold_shard_manifest", Lake.viewName(Lake.GOLD_SHARD_MANIFEST));
  }

  @Test
  void runIds() {
    String id = RunIds.newRunId("ingest");
    assertEquals(id, RunIds.validate(id));
    assertThrows(IllegalArgumentException.class, () -> RunIds.validate("../etc"));
    assertThrows(IllegalArgumentException.class, () -> RunIds.validate("a b"));
  }
}
