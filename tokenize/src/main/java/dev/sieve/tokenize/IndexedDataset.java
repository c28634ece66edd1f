package dev.sieve.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a Megatron-LM indexed dataset ({@code prefix.bin} + {@code prefix.idx}) by memory mapping
 * both files ({@link FileChannel#map}). The {@code .idx} arrays are decoded on open (4 + 8 bytes
 * per sequence); tokens are read from the mapped {@code .bin} on demand, in 1 GiB windows so that
 * files above 2 GiB work. No Spark, no DJL: the training program uses this class directly.
 */
public final class IndexedDataset implements TokenSource, AutoCloseable {
  private static final long WINDOW = 1L << 30;

  private final TokenDType dtype;
  private final int[] lengths;
  private final long[] offsets;
  private final long[] documentIndex;
  private final FileChannel binChannel;
  private final MappedByteBuffer[] windows;
  private final long binSize;
  private final long totalTokens;

  private IndexedDataset(Path prefix) throws IOException {
    Path idxPath = IndexedDatasetWriter.sibling(prefix, ".idx");
    try (FileChannel ic = FileChannel.open(idxPath, StandardOpenOption.READ)) {
      ByteBuffer idx = ic.map(FileChannel.MapMode.READ_ONLY, 0, ic.size()).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[IndexedDatasetWriter.MAGIC.length];
      if (idx.remaining() < magic.length + 25) throw new IOException(idxPath + " is too short for an index header");
      idx.get(magic);
      if (!Arrays.equals(magic, IndexedDatasetWriter.MAGIC)) throw new IOException(idxPath + " is not a Megatron index (bad magic)");
      long version = idx.getLong();
      if (version != IndexedDatasetWriter.VERSION) throw new IOException(idxPath + ": unsupported index version " + version);
      this.dtype = TokenDType.ofCode(idx.get() & 0xFF);
      long n = idx.getLong();
      long d = idx.getLong();
      if (n < 0 || d < 0 || n > Integer.MAX_VALUE || d > Integer.MAX_VALUE || idx.remaining() != n * 12 + d * 8) {
        throw new IOException(idxPath + ": counts N=" + n + ", D=" + d + " do not match the file size " + ic.size());
      }
      lengths = new int[(int) n];
      offsets = new long[(int) n];
      documentIndex = new long[(int) d];
      idx.asIntBuffer().get(lengths);
      idx.position(idx.position() + (int) n * 4);
      idx.asLongBuffer().get(offsets);
      idx.position(idx.position() + (int) n * 8);
      idx.asLongBuffer().get(documentIndex);
    }
    long total = 0;
    for (int l : lengths) total += l;
    this.totalTokens = total;
    Path binPath = IndexedDatasetWriter.sibling(prefix, ".bin");
    binChannel = FileChannel.open(binPath, StandardOpenOption.READ);
    binSize = binChannel.size();
    if (lengths.length > 0) {
      int last = lengths.length - 1;
      long end = offsets[last] + (long) lengths[last] * dtype.bytes();
      if (end > binSize) throw new IOException(binPath + " has " + binSize + " bytes, the index needs " + end);
    }
    int nWindows = (int) ((binSize + WINDOW - 1) / WINDOW);
    windows = new MappedByteBuffer[nWindows];
    for (int i = 0; i < nWindows; i++) {
      long start = i * WINDOW;
      windows[i] = binChannel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, binSize - start));
      windows[i].order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  /** Opens {@code prefix.idx} and {@code prefix.bin}. */
  public static IndexedDataset open(Path prefix) {
    try {
      return new IndexedDataset(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open indexed dataset " + prefix, e);
    }
  }

  public TokenDType dtype() {
    return dtype;
  }

  /** Sequences N (one per document as written by {@link IndexedDatasetWriter}). */
  public int sequenceCount() {
    return lengths.length;
  }

  @Override
  public int documentCount() {
    return lengths.length;
  }

  /** The document index (D entries: 0, then the sequence count at each document end). */
  public long[] documentIndex() {
    return documentIndex.clone();
  }

  public long totalTokens() {
    return totalTokens;
  }

  /** Byte offset of a sequence in {@code .bin}. */
  public long offset(int seq) {
    return offsets[seq];
  }

  @Override
  public int length(int seq) {
    return lengths[seq];
  }

  @Override
  public void read(int seq, int offset, int[] dst, int dstPos, int len) {
    if (offset < 0 || len < 0 || offset + (long) len > lengths[seq]) {
      throw new IndexOutOfBoundsException("tokens " + offset + ".." + (offset + len) + " of sequence " + seq + " (length " + lengths[seq] + ")");
    }
    int w = dtype.bytes();
    long pos = offsets[seq] + (long) offset * w;
    for (int i = 0; i < len; ) {
      int win = (int) (pos / WINDOW);
      int at = (int) (pos % WINDOW);
      ByteBuffer b = windows[win];
      int fit = Math.min(len - i, (b.limit() - at) / w);
      if (fit == 0) { // a token straddles two windows: impossible, windows are multiples of 4 bytes
        throw new IllegalStateException("token at byte " + pos + " straddles a mapping window");
      }
      if (w == 2) {
        for (int k = 0; k < fit; k++) dst[dstPos + i + k] = b.getShort(at + 2 * k) & 0xFFFF;
      } else {
        for (int k = 0; k < fit; k++) dst[dstPos + i + k] = b.getInt(at + 4 * k);
      }
      i += fit;
      pos += (long) fit * w;
    }
  }

  @Override
  public void close() {
    try {
      binChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
