package dev.sieve.tokenize;

/** Token dtypes of Megatron's indexed dataset ({@code .idx} dtype codes). */
public enum TokenDType {
  /** {@code numpy.int32}, code 4. */
  INT32(4, 4),
  /** {@code numpy.uint16}, code 8. */
  UINT16(8, 2);

  /** Megatron's {@code best_fitting_dtype}: u16 when the vocabulary is below this size. */
  public static final int UINT16_VOCAB_LIMIT = 65_500;

  private final int code;
  private final int bytes;

  TokenDType(int code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  public int code() {
    return code;
  }

  public int bytes() {
    return bytes;
  }

  /** u16 when {@code vocabSize < 65,500}, else i32. */
  public static TokenDType forVocab(int vocabSize) {
    return vocabSize < UINT16_VOCAB_LIMIT ? UINT16 : INT32;
  }

  public static TokenDType ofCode(int code) {
    for (TokenDType t : values()) if (t.code == code) return t;
    throw new IllegalArgumentException("unsupported token dtype code " + code + " (supported: 4 = i32, 8 = u16)");
  }
}
