package dev.sieve.core;

import java.util.Locale;

/**
 * The kinds of personal data: the ones the {@code pii} stage replaces and the generator plants
 * (its ground truth's {@code pii} records carry {@link #name()}). {@link #key()} is the lower-case
 * name used in config ({@code pii.kinds}, {@code pii.tags}) and as the key of
 * {@code silver/clean.pii_counts}; {@link #defaultTag()} is the text a span is replaced by.
 */
public enum PiiKind {
  EMAIL,
  PHONE,
  IP_ADDRESS,
  ID_NUMBER,
  CREDIT_CARD,
  SECRET;

  private final String key = name().toLowerCase(Locale.ROOT);

  /** {@code email}, {@code phone}, {@code ip_address}, {@code id_number}, {@code credit_card}, {@code secret}. */
  public String key() {
    return key;
  }

  /** {@code <EMAIL>}, {@code <PHONE>}, ... */
  public String defaultTag() {
    return "<" + name() + ">";
  }

  /** The kind with this {@link #key()}, or null. */
  public static PiiKind byKey(String key) {
    for (PiiKind k : values()) if (k.key.equals(key)) return k;
    return null;
  }
}
