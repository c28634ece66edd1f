package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake whose every document the filter rejects still runs the rest of the chain: dedup and pii
 * leave empty output tables (a user's report: pii and tokenize said "run 'sieve dedup' first"
 * right after dedup had succeeded), and every run reconciles.
 */
class EmptyChainTest {
  @Test
  void everythingFilteredOutStillRunsDedupPiiAndTokenize(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in/short.txt");
    Files.createDirectories(input.getParent());
    Files.writeString(input, "ok\nno\n");
    String lake = dir.resolve("lake").toString();
    for (String[] stage : new String[][] {{"ingest", "--input", input.toString()}, {"filter"}, {"dedup"}, {"pii"}, {"tokenize"}}) {
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(stage), java.util.stream.Stream.of("--lake", lake))
          .toArray(String[]::new);
      SieveCliTest.Run r = SieveCliTest.sieve(args);
      assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
    }
    SparkSession spark = TestSpark.session();
    Lake l = new Lake(lake);
    assertEquals(2, DeltaTables.count(spark, l.path(Lake.BRONZE_DOCUMENTS)));
    assertEquals(0, DeltaTables.count(spark, l.path(Lake.SILVER_FILTERED)));
    assertEquals(2, DeltaTables.count(spark, l.path(Lake.SILVER_REJECTED)));
    assertTrue(DeltaTables.exists(spark, l.path(Lake.SILVER_DEDUPED)));
    assertEquals(0, DeltaTables.count(spark, l.path(Lake.SILVER_DEDUPED)));
    assertTrue(DeltaTables.exists(spark, l.path(Lake.SILVER_CLEAN)));
    assertEquals(0, DeltaTables.count(spark, l.path(Lake.SILVER_CLEAN)));
    assertEquals(5, DeltaTables.read(spark, l.path(Lake.STAGE_RUNS)).where("status = 'SUCCEEDED'").count());
    // Run again: nothing new anywhere, still no error.
    for (String stage : new String[] {"dedup", "pii", "tokenize"}) {
      SieveCliTest.Run r = SieveCliTest.sieve(stage, "--lake", lake);
      assertEquals(0, r.code(), stage + "\n" + r.out() + r.err());
      assertTrue(r.out().contains("0 documents in"), r.out());
    }
  }
}
