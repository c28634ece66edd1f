package dev.sieve.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files a task writes once per JVM: bytes shipped in a task closure (the filter's classifier
 * model, tokenize's {@code tokenizer.json}) put on the executor's local disk for a library that
 * opens a path. The file is named by the caller after its content, so a file already there holds
 * these bytes; a new one is written to a temporary file beside it and moved into place atomically,
 * so concurrent tasks of one JVM never read half a file.
 */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * {@code local}, holding {@code bytes}: written unless a file is there already.
   *
   * @param what what the file is, for the error ({@code cannot write <what> <local>})
   * @throws UncheckedIOException when the folder or the file cannot be written
   */
  public static Path writeOnce(Path local, byte[] bytes, String what) {
    try {
      if (!Files.isRegularFile(local)) {
        Files.createDirectories(local.getParent());
        Path tmp = Files.createTempFile(local.getParent(), local.getFileName().toString() + "-", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + what + " " + local, e);
    }
    return local;
  }
}
