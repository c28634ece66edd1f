package dev.sieve.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFilesTest {
  @Test
  void writesOnceAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path local = dir.resolve("models/quality-abc.bin");
    assertEquals(local, LocalFiles.writeOnce(local, new byte[] {1, 2, 3}, "classifier model"));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(local));
    // Named after its content by the caller: a file already there is not written again.
    LocalFiles.writeOnce(local, new byte[] {9}, "classifier model");
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(local));
    try (Stream<Path> files = Files.list(local.getParent())) {
      assertEquals(List.of(local), files.toList());
    }
  }

  @Test
  void anUnwritableFolderIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
    Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> LocalFiles.writeOnce(blocker.resolve("t.json"), new byte[] {1}, "tokenizer"));
    assertTrue(e.getMessage().startsWith("cannot write tokenizer " + blocker.resolve("t.json")), e.getMessage());
  }
}
