package dev.sieve.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** How ids name a file: its path under the parent of the {@code --input} argument (issue 15). */
class InputFilesTest {
  private static String id(String input, String file) {
    return InputFiles.idPath(InputFiles.idRoot(new Path(input)), new Path(file));
  }

  @Test
  void aFolderArgumentNamesFilesFromTheFolderItself() {
    assertEquals("corpus/jsonl/part-0.jsonl", id("file:/data/corpus", "file:/data/corpus/jsonl/part-0.jsonl"));
    assertEquals("corpus/jsonl/part-0.jsonl", id("file:/elsewhere/deep/corpus", "file:/elsewhere/deep/corpus/jsonl/part-0.jsonl"));
    assertEquals("corpus/a.txt", id("hdfs://nn:8020/lake-in/corpus", "hdfs://nn:8020/lake-in/corpus/a.txt"));
  }

  @Test
  void aFileArgumentIsItsName() {
    assertEquals("a.jsonl", id("file:/data/a.jsonl", "file:/data/a.jsonl"));
  }

  @Test
  void aGlobNamesFilesFromItsLastPlainFolder() {
    assertEquals("corpus/x/part.jsonl", id("file:/data/corpus/*/part.jsonl", "file:/data/corpus/x/part.jsonl"));
    assertEquals("corpus/y/b.jsonl", id("file:/data/corpus/{x,y}/*.jsonl", "file:/data/corpus/y/b.jsonl"));
    assertEquals("data/a.jsonl", id("file:/data/*.jsonl", "file:/data/a.jsonl"));
  }

  @Test
  void aFileOutsideTheRootKeepsItsFullPath() {
    assertEquals("file:/other/a.jsonl", InputFiles.idPath(new Path("file:/data"), new Path("file:/other/a.jsonl")));
  }

  @Test
  void theRootFolderNamesFilesByTheirWholePath() {
    assertEquals("data/a.jsonl", id("file:/", "file:/data/a.jsonl"));
  }
}
