package dev.sieve.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Passes a byte stream through with every invalid UTF-8 sequence (each maximal invalid subpart,
 * as the Unicode standard and WHATWG count them) replaced by the three bytes of U+FFFD, and — when
 * asked to — a UTF-8 BOM at its start dropped. It remembers where it changed the length of the
 * stream, so a position in what it produced maps back to the byte offset in the input
 * ({@link #toInput}), and it counts the replacements between two positions ({@link #repairsBetween}).
 * A streaming parser that reads through it (Jackson, for WuDao JSON) then never fails on a bad byte
 * inside a string, and the reader still reports true file offsets.
 */
final class Utf8RepairingInputStream extends InputStream {
  private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private final InputStream in;
  /** Output position where a change ends → {delta (output − input bytes so far), replacements so far}. */
  private final TreeMap<Long, long[]> changes = new TreeMap<>();
  private final byte[] out = new byte[8];
  private int outLen;
  private int outPtr;
  private final int[] pushback = new int[4];
  private int pushed;
  private long outPos;
  private long delta;
  private long repairs;

  Utf8RepairingInputStream(InputStream in, boolean stripBom) throws IOException {
    this.in = new BufferedInputStream(in, 1 << 16);
    if (stripBom) {
      this.in.mark(3);
      byte[] head = this.in.readNBytes(3);
      if (head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
        delta = -3;
        changes.put(0L, new long[] {delta, 0});
      } else {
        this.in.reset();
      }
    }
  }

  /** The input offset of output position {@code pos}. */
  long toInput(long pos) {
    Map.Entry<Long, long[]> e = changes.floorEntry(pos);
    return pos - (e == null ? 0 : e.getValue()[0]);
  }

  /** Replacements that end in the output range ({@code from}, {@code to}]. */
  long repairsBetween(long from, long to) {
    return count(to) - count(from);
  }

  private long count(long pos) {
    Map.Entry<Long, long[]> e = changes.floorEntry(pos);
    return e == null ? 0 : e.getValue()[1];
  }

  private int nextIn() throws IOException {
    return pushed > 0 ? pushback[--pushed] : in.read();
  }

  private void unread(int b) {
    pushback[pushed++] = b;
  }

  /** Fills {@link #out} with the next character's bytes (or a replacement); false at the end. */
  private boolean fill() throws IOException {
    outLen = 0;
    outPtr = 0;
    int b0 = nextIn();
    if (b0 < 0) return false;
    if (b0 < 0x80) {
      out[outLen++] = (byte) b0;
      return true;
    }
    int need;
    int lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 1;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 2;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 3;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {
      replace(1);
      return true;
    }
    out[outLen++] = (byte) b0;
    for (int k = 0; k < need; k++) {
      int b = nextIn();
      if (b < lo || b > hi) {
        if (b >= 0) unread(b);
        int consumed = outLen;
        outLen = 0;
        replace(consumed);
        return true;
      }
      out[outLen++] = (byte) b;
      lo = 0x80;
      hi = 0xBF;
    }
    return true;
  }

  private void replace(int consumed) {
    System.arraycopy(REPLACEMENT, 0, out, 0, 3);
    outLen = 3;
    delta += 3 - consumed;
    repairs++;
    changes.put(outPos + 3, new long[] {delta, repairs});
  }

  @Override
  public int read() throws IOException {
    if (outPtr >= outLen && !fill()) return -1;
    outPos++;
    return out[outPtr++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    int n = 0;
    while (n < len) {
      if (outPtr >= outLen) {
        if (n > 0 && pushed == 0 && in.available() <= 0) break;
        if (!fill()) break;
      }
      b[off + n++] = out[outPtr++];
      outPos++;
    }
    return n == 0 ? -1 : n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
