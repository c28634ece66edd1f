package dev.sieve.tokenize;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Writes one Megatron-LM indexed dataset ({@code prefix.bin} + {@code prefix.idx}, DESIGN.md
 * "Token shards"), the way {@code preprocess_data.py --append-eod} does: each document is one
 * sequence whose last token is the end-of-text id.
 *
 * <p>{@code .bin} is the tokens back to back, little endian, in the dtype; {@code .idx} is the
 * 9-byte magic {@code MMIDIDX\0\0}, u64 version 1, u8 dtype code, u64 sequence count N, u64
 * document-index count D = N + 1, i32[N] lengths, i64[N] byte offsets into {@code .bin}, i64[D]
 * document indices 0..N. Tokens stream to {@code .bin} as documents arrive; only the lengths (4
 * bytes per document) are kept in memory until {@link #finish} writes {@code .idx}. SHA-256 and
 * sizes of both files are computed while writing. Files are written under temporary names and
 * renamed by {@link #finish}, so a crash never leaves a shard that looks complete.
 *
 * <p>A shard that holds a document with a loss mask ({@link #addDocument(int[], boolean[])}: an SFT
 * conversation) gets a third file, {@code prefix.mask}: one byte per token of {@code .bin}, in the
 * same order, 1 where the token is trained on (a target of the loss), 0 where it is not. Documents
 * added without a mask are all 1 there. A shard without masked documents has no {@code .mask}.
 */
public final class IndexedDatasetWriter implements AutoCloseable {
  /** {@code MMIDIDX\0\0}. */
  public static final byte[] MAGIC = "MMIDIDX\0\0".getBytes(StandardCharsets.US_ASCII);
  public static final long VERSION = 1;

  /** What {@link #close} wrote. */
  public record Summary(Path bin, Path idx, TokenDType dtype, long documents, long tokens, long binBytes, long idxBytes,
      String binSha256, String idxSha256, Path mask, String maskSha256) {}

  /** The loss-mask sidecar of a shard: {@code prefix.mask}. */
  public static Path maskPath(Path prefix) {
    return sibling(prefix, ".mask");
  }

  private final Path prefix;
  private final Path bin;
  private final Path idx;
  private final Path binTmp;
  private final TokenDType dtype;
  private final int vocabSize;
  private final int eot;
  private final DigestOutputStream binOut;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  private DigestOutputStream maskOut;
  private int[] lengths = new int[1024];
  private int documents;
  private long tokens;
  private Summary summary;

  private IndexedDatasetWriter(Path prefix, int vocabSize, int eot) throws IOException {
    if (eot < 0 || eot >= vocabSize) throw new IllegalArgumentException("end-of-text id " + eot + " outside vocabulary of " + vocabSize);
    this.prefix = prefix;
    this.bin = sibling(prefix, ".bin");
    this.idx = sibling(prefix, ".idx");
    this.binTmp = sibling(prefix, ".bin.tmp");
    this.dtype = TokenDType.forVocab(vocabSize);
    this.vocabSize = vocabSize;
    this.eot = eot;
    if (prefix.toAbsolutePath().getParent() != null) Files.createDirectories(prefix.toAbsolutePath().getParent());
    this.binOut = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(binTmp), 1 << 16), sha256());
  }

  /**
   * Starts {@code prefix.bin} / {@code prefix.idx}; the dtype follows from {@code vocabSize} (u16
   * below 65,500, else i32) and {@code eot} ends every document.
   */
  public static IndexedDatasetWriter open(Path prefix, int vocabSize, int eot) {
    try {
      return new IndexedDatasetWriter(prefix, vocabSize, eot);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + prefix + ".bin", e);
    }
  }

  /** For a tokenizer: its vocabulary size and end-of-text id. */
  public static IndexedDatasetWriter open(Path prefix, TokenizerAdapter tokenizer) {
    return open(prefix, tokenizer.vocabSize(), tokenizer.eotId());
  }

  static Path sibling(Path prefix, String suffix) {
    return prefix.resolveSibling(prefix.getFileName() + suffix);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public TokenDType dtype() {
    return dtype;
  }

  public long documents() {
    return documents;
  }

  /** Tokens written so far, end-of-text tokens included. */
  public long tokens() {
    return tokens;
  }

  /** Bytes of {@code .bin} so far. */
  public long binBytes() {
    return tokens * dtype.bytes();
  }

  /** Appends one document: its tokens, then the end-of-text id; all trained on. */
  public void addDocument(int[] docTokens) {
    addDocument(docTokens, null);
  }

  /**
   * Appends one document with its loss mask: {@code trained[i]} says whether token {@code i} is a
   * target; the end-of-text id after it is not. {@code null}: every token and the end-of-text are.
   *
   * @throws IllegalArgumentException when the mask's length is not the tokens'
   */
  public void addDocument(int[] docTokens, boolean[] trained) {
    if (summary != null) throw new IllegalStateException("writer closed");
    if (trained != null && trained.length != docTokens.length) {
      throw new IllegalArgumentException("mask of " + trained.length + " for " + docTokens.length + " tokens");
    }
    writeMask(docTokens.length, trained);
    long len = (long) docTokens.length + 1;
    if (len > Integer.MAX_VALUE) throw new IllegalArgumentException("document of " + len + " tokens does not fit an i32 length");
    try {
      for (int t : docTokens) put(t);
      put(eot);
      flushBuf();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + binTmp, e);
    }
    if (documents == lengths.length) lengths = Arrays.copyOf(lengths, documents * 2);
    lengths[documents++] = (int) len;
    tokens += len;
  }

  /** Starts {@code .mask} at the first masked document (earlier tokens all 1), then appends each document's bytes. */
  private void writeMask(int n, boolean[] trained) {
    try {
      if (maskOut == null) {
        if (trained == null) return;
        maskOut = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(sibling(prefix, ".mask.tmp")), 1 << 16), sha256());
        for (long i = 0; i < tokens; i++) maskOut.write(1);
      }
      for (int i = 0; i < n; i++) maskOut.write(trained == null || trained[i] ? 1 : 0);
      maskOut.write(trained == null ? 1 : 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + sibling(prefix, ".mask.tmp"), e);
    }
  }

  private void put(int t) throws IOException {
    if (t < 0 || t >= vocabSize) throw new IllegalArgumentException("token " + t + " outside vocabulary of " + vocabSize);
    if (buf.remaining() < 4) flushBuf();
    if (dtype == TokenDType.UINT16) buf.putShort((short) t);
    else buf.putInt(t);
  }

  private void flushBuf() throws IOException {
    binOut.write(buf.array(), 0, buf.position());
    buf.clear();
  }

  /** {@link #finish}, ignoring the summary. */
  @Override
  public void close() {
    finish();
  }

  /** Finishes {@code .bin}, writes {@code .idx}, renames both into place; idempotent. */
  public Summary finish() {
    if (summary != null) return summary;
    try {
      binOut.close();
      String binSha = HexFormat.of().formatHex(binOut.getMessageDigest().digest());
      Path idxTmp = sibling(prefix, ".idx.tmp");
      MessageDigest idxDigest = sha256();
      long idxBytes;
      try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(idxTmp), 1 << 16), idxDigest)) {
        ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 8 + 1 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putLong(VERSION).put((byte) dtype.code()).putLong(documents).putLong(documents + 1L);
        out.write(head.array());
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < documents; i++) out.write(b.clear().putInt(lengths[i]).array(), 0, 4);
        long offset = 0;
        for (int i = 0; i < documents; i++) {
          out.write(b.clear().putLong(offset).array(), 0, 8);
          offset += (long) lengths[i] * dtype.bytes();
        }
        for (long d = 0; d <= documents; d++) out.write(b.clear().putLong(d).array(), 0, 8);
        idxBytes = head.capacity() + documents * 4L + documents * 8L + (documents + 1L) * 8L;
      }
      Path mask = null;
      String maskSha = null;
      if (maskOut != null) {
        maskOut.close();
        maskSha = HexFormat.of().formatHex(maskOut.getMessageDigest().digest());
        mask = maskPath(prefix);
        Files.move(sibling(prefix, ".mask.tmp"), mask, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(binTmp, bin, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.move(idxTmp, idx, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      summary = new Summary(bin, idx, dtype, documents, tokens, binBytes(), idxBytes, binSha, HexFormat.of().formatHex(idxDigest.digest()),
          mask, maskSha);
      return summary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish " + prefix, e);
    }
  }
}
