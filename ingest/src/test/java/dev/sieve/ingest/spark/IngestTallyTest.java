package dev.sieve.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The tally a read pass builds record by record and merges across tasks (no Spark). */
class IngestTallyTest {
  private static Row row(String kind, String file, String docId, String reason, String errorKind, Long framed) {
    Object[] v = new Object[ReadFile.SCHEMA.size()];
    v[0] = kind;
    v[ReadFile.SCHEMA.fieldIndex("source_file")] = file;
    v[ReadFile.SCHEMA.fieldIndex("doc_id")] = docId;
    v[ReadFile.SCHEMA.fieldIndex("reason")] = reason;
    v[ReadFile.SCHEMA.fieldIndex("error_kind")] = errorKind;
    v[ReadFile.SCHEMA.fieldIndex("records_framed")] = framed;
    if (ReadFile.DOC.equals(kind)) {
      v[ReadFile.SCHEMA.fieldIndex("repairs")] = scala.jdk.javaapi.CollectionConverters.asScala(Map.of("invalid_utf8", 2L));
    }
    return RowFactory.create(v);
  }

  @Test
  void twoTasksTallyPerFileAndReasonAndFindARepeatedIdAcrossThem() {
    IngestTally a = new IngestTally();
    a.add(row(ReadFile.DOC, "f1", "id-1", null, null, null));
    a.add(row(ReadFile.DOC, "f1", "id-2", null, null, null));
    a.add(row(ReadFile.SKIP, "f1", null, "empty_text", null, null));
    a.add(row(ReadFile.FILE, "f1", null, null, null, 3L));
    IngestTally b = new IngestTally();
    b.add(row(ReadFile.DOC, "f2", "id-3", null, null, null));
    b.add(row(ReadFile.QUARANTINE, "f2", null, null, "truncated", null));
    b.add(row(ReadFile.FILE, "f2", null, null, null, 2L));
    assertFalse(a.mayRepeatIds());

    IngestTally all = new IngestTally();
    all.merge(a);
    all.merge(b);
    assertEquals(3, all.documents());
    assertEquals(1, all.quarantined());
    assertEquals(1, all.skippedTotal());
    assertEquals(5, all.framed());
    assertEquals(Map.of("empty_text", 1L), all.skipped);
    assertEquals(Map.of("truncated", 1L), all.quarantinedByKind);
    assertEquals(Map.of("invalid_utf8", 6L), all.repaired);
    assertEquals(1, all.quarantineRows.size());
    assertEquals(3, all.idCount);
    assertFalse(all.mayRepeatIds(), "three distinct ids");

    IngestTally c = new IngestTally();
    c.add(row(ReadFile.DOC, "f3", "id-2", null, null, null));
    all.merge(c);
    assertTrue(all.mayRepeatIds(), "id-2 in two tasks");
  }

  @Test
  void aTaskOverTheQuarantineCapOverflowsAndKeepsCounting() {
    int cap = IngestTally.quarantineRowsMax;
    IngestTally.quarantineRowsMax = 2;
    try {
      IngestTally t = new IngestTally();
      for (int i = 0; i < 3; i++) t.add(row(ReadFile.QUARANTINE, "f", null, null, "invalid_json", null));
      assertEquals(2, t.quarantineRows.size());
      assertTrue(t.overflow);
      assertEquals(3, t.quarantined());
      IngestTally merged = new IngestTally();
      merged.merge(t);
      assertTrue(merged.overflow);
    } finally {
      IngestTally.quarantineRowsMax = cap;
    }
  }

  @Test
  void tooManyIdsToKeepMeansTheExactCheckRuns() {
    IngestTally t = new IngestTally();
    t.add(row(ReadFile.DOC, "f", "x", null, null, null));
    t.idHashes = new long[0];
    t.idCount = IngestTally.ID_HASHES_MAX;  // as if full
    IngestTally other = new IngestTally();
    other.add(row(ReadFile.DOC, "g", "y", null, null, null));
    t.merge(other);
    assertNull(t.idHashes);
    assertTrue(t.mayRepeatIds());
    assertFalse(IngestTally.idHash("a") == IngestTally.idHash("b"));
  }
}
