package dev.sieve.tokenize;

/** Documents of tokens, read by index: what {@link SamplePacker} packs. */
public interface TokenSource {
  int documentCount();

  /** Tokens in document {@code doc}. */
  int length(int doc);

  /** Copies {@code len} tokens of document {@code doc} from {@code offset} into {@code dst[dstPos..]}. */
  void read(int doc, int offset, int[] dst, int dstPos, int len);

  /** All tokens of one document. */
  default int[] tokens(int doc) {
    int[] out = new int[length(doc)];
    read(doc, 0, out, 0, out.length);
    return out;
  }

  /** A source over arrays in memory (tests, small data). */
  static TokenSource of(int[]... docs) {
    return new TokenSource() {
      @Override
      public int documentCount() {
        return docs.length;
      }

      @Override
      public int length(int doc) {
        return docs[doc].length;
      }

      @Override
      public void read(int doc, int offset, int[] dst, int dstPos, int len) {
        System.arraycopy(docs[doc], offset, dst, dstPos, len);
      }
    };
  }
}
