package dev.sieve.generate.format;

import dev.sieve.core.DocIds;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes records of one format into numbered files of at most {@code recordsPerFile} records
 * ({@code <folder>/<prefix>-00000<suffix>}), hashing and counting bytes as they go, so the
 * generator streams in constant memory and the manifest needs no second pass.
 */
public abstract class RollingSink implements AutoCloseable {
  private final Path root;
  private final String folder;
  private final String prefix;
  private final String suffix;
  private final long recordsPerFile;
  private final List<OutputFile> files = new ArrayList<>();

  private HashingStream current;
  private String currentPath;
  private long recordsInFile;
  private int fileIndex;

  protected RollingSink(Path root, String folder, String prefix, String suffix, long recordsPerFile) {
    if (recordsPerFile < 1) throw new IllegalArgumentException("recordsPerFile must be >= 1");
    this.root = root;
    this.folder = folder;
    this.prefix = prefix;
    this.suffix = suffix;
    this.recordsPerFile = recordsPerFile;
  }

  /** Starts a new file on {@code out} (write any header). */
  protected abstract void openFile(OutputStream out, String relativePath) throws IOException;

  /** Finishes the current file (write any trailer, flush compressors); must not close {@code out}'s underlying file. */
  protected abstract void closeFile() throws IOException;

  /** Returns the relative path of the file the next record goes to, rolling to a new file when the current one is full. */
  protected final String beginRecord() throws IOException {
    if (current == null || recordsInFile >= recordsPerFile) {
      finishCurrent();
      currentPath = folder + "/" + prefix + String.format("-%05d", fileIndex++) + suffix;
      Path p = root.resolve(currentPath);
      Files.createDirectories(p.getParent());
      current = new HashingStream(new BufferedOutputStream(Files.newOutputStream(p), 1 << 16));
      recordsInFile = 0;
      openFile(current, currentPath);
    }
    recordsInFile++;
    return currentPath;
  }

  private void finishCurrent() throws IOException {
    if (current == null) return;
    closeFile();
    current.close();
    files.add(new OutputFile(currentPath, current.bytes, HexFormat.of().formatHex(current.digest.digest()), recordsInFile));
    current = null;
  }

  /** Files written so far (complete after {@link #close()}). */
  public final List<OutputFile> files() {
    return files;
  }

  @Override
  public void close() throws IOException {
    finishCurrent();
  }

  private static final class HashingStream extends FilterOutputStream {
    final MessageDigest digest = DocIds.sha256();
    long bytes;
    private boolean closed;

    HashingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      bytes += len;
    }

    @Override
    public void close() throws IOException {
      if (closed) return;
      closed = true;
      super.close();
    }
  }
}
