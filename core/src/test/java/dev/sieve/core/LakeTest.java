package dev.sieve.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
