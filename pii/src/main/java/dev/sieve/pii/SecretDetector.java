package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials: PEM/OpenSSH/PGP private key blocks ({@code -----BEGIN ... PRIVATE KEY-----} to the
 * matching END line, or to the end of the base64 body when the END is missing), AWS access key
 * ids ({@code AKIA}/{@code ASIA} + 16), GitHub tokens ({@code ghp_ gho_ ghu_ ghs_ ghr_} + 36,
 * {@code github_pat_}), Slack tokens ({@code xoxb- xoxa- xoxp- xoxr- xoxs-}), Google API keys
 * ({@code AIza} + 35), and values assigned to a credential-like name ({@code password},
 * {@code secret}, {@code token}, {@code api_key}, ...; {@code =}, {@code :} or {@code =>},
 * optionally quoted) when the value looks random: at least {@code minLength} characters, at least
 * two character classes, and a Shannon entropy of at least {@code minEntropy} bits per character.
 * For assignments only the value is reported, the name stays readable.
 */
public final class SecretDetector implements PiiDetector {
  private static final long serialVersionUID = 1L;
  private static final Pattern KEY_BEGIN = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----");
  private static final Pattern KEY_END = Pattern.compile("-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----");
  /** How far after a BEGIN line its END is looked for (a 16384-bit RSA key is about 12,700 chars). */
  private static final int MAX_KEY_CHARS = 16_384;
  private static final Pattern KEY_BODY_LINE = Pattern.compile("[A-Za-z0-9+/=]+|[A-Za-z-]+: .*");
  private static final Pattern TOKENS = Pattern.compile(
      "(?<![0-9A-Za-z_])(?:"
          + "(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])"
          + "|gh[pousr]_[0-9A-Za-z]{36}(?![0-9A-Za-z_])"
          + "|github_pat_[0-9A-Za-z_]{22,255}(?![0-9A-Za-z_])"
          + "|xox[baprs]-[0-9A-Za-z]+(?:-[0-9A-Za-z]+){1,6}(?![0-9A-Za-z-])"
          + "|AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"
          + ")");
  /** Credential-like names (lower case) a value may be assigned to: the identifier ends with one of them. */
  private static final String[] NAMES = {"password", "passwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key",
      "accesskey", "access_key", "secretkey", "secret_key", "privatekey", "private_key"};

  private final double minEntropy;
  private final int minLength;

  /** The defaults of {@link PiiSettings}. */
  public SecretDetector() {
    this(PiiSettings.DEFAULT_SECRET_MIN_ENTROPY, PiiSettings.DEFAULT_SECRET_MIN_LENGTH);
  }

  public SecretDetector(double minEntropy, int minLength) {
    this.minEntropy = minEntropy;
    this.minLength = minLength;
  }

  @Override
  public PiiKind kind() {
    return PiiKind.SECRET;
  }

  @Override
  public void find(PiiInput doc, List<PiiSpan> out) {
    String t = doc.folded();
    if (t.contains("PRIVATE KEY")) privateKeys(doc, t, out);
    if (t.contains("AKIA") || t.contains("ASIA") || t.indexOf('_') >= 0 || t.contains("xox") || t.contains("AIza")) {
      Matcher m = TOKENS.matcher(t);
      while (m.find()) out.add(doc.span(m.start(), m.end(), PiiKind.SECRET));
    }
    for (int i = 0, n = t.length(); i < n; i++) {
      char c = t.charAt(i);
      if (c == ':' || c == '=') assignment(doc, t, i, out);
    }
  }

  /** A value assigned at the operator {@code t[op]} ({@code :}, {@code =}, {@code :=}, {@code =>}) to a credential-like name. */
  private void assignment(PiiInput doc, String t, int op, List<PiiSpan> out) {
    int n = t.length();
    int v = op + 1;
    if (v < n && (t.charAt(v) == '>' || (t.charAt(op) == ':' && t.charAt(v) == '='))) v++;
    else if (v < n && t.charAt(v) == '=') return; // "==" compares
    if (op > 0 && (t.charAt(op - 1) == '=' || t.charAt(op - 1) == '!' || t.charAt(op - 1) == '<' || t.charAt(op - 1) == '>')) return;
    int j = op - 1;
    while (j >= 0 && (t.charAt(j) == ' ' || t.charAt(j) == '\t')) j--;
    if (j >= 0 && (t.charAt(j) == '"' || t.charAt(j) == '\'')) j--;
    int nameEnd = j + 1;
    while (j >= 0 && (Chars.isAsciiAlnum(t.charAt(j)) || t.charAt(j) == '_' || t.charAt(j) == '-')) j--;
    if (nameEnd - (j + 1) < 3 || nameEnd - (j + 1) > 64) return;
    if (!credentialName(t.substring(j + 1, nameEnd).toLowerCase(java.util.Locale.ROOT))) return;
    while (v < n && (t.charAt(v) == ' ' || t.charAt(v) == '\t')) v++;
    if (v < n && (t.charAt(v) == '"' || t.charAt(v) == '\'')) v++;
    int e = v;
    while (e < n && !Character.isWhitespace(t.charAt(e)) && "\"'`,;<>(){}[]".indexOf(t.charAt(e)) < 0) e++;
    while (e > v && (t.charAt(e - 1) == '.' || t.charAt(e - 1) == '!' || t.charAt(e - 1) == '?')) e--; // sentence end
    if (e - v >= minLength && looksRandom(t.substring(v, e))) out.add(doc.span(v, e, PiiKind.SECRET));
  }

  private static boolean credentialName(String name) {
    if (name.equals("pwd") || name.endsWith("_pwd")) return true;
    for (String k : NAMES) if (name.endsWith(k)) return true;
    return false;
  }

  private boolean looksRandom(String v) {
    if (v.startsWith("$") || v.startsWith("%") || v.contains("*****") || v.contains("...")) return false; // ${VAR}, %s, masked
    boolean lower = false, upper = false, digit = false, other = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c >= 'a' && c <= 'z') lower = true;
      else if (c >= 'A' && c <= 'Z') upper = true;
      else if (Chars.isDigit(c)) digit = true;
      else other = true;
    }
    int classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    return classes >= 2 && Chars.entropy(v) >= minEntropy;
  }

  private static void privateKeys(PiiInput doc, String t, List<PiiSpan> out) {
    Matcher b = KEY_BEGIN.matcher(t);
    int from = 0;
    while (from < t.length() && b.find(from)) {
      Matcher e = KEY_END.matcher(t).region(b.end(), Math.min(t.length(), b.end() + MAX_KEY_CHARS));
      int end;
      if (e.find()) {
        end = e.end();
      } else {
        end = b.end();
        int i = b.end();
        while (i < t.length()) { // base64 body lines and "Header: value" lines
          int nl = t.indexOf('\n', i);
          int lineEnd = nl < 0 ? t.length() : nl;
          String line = t.substring(i, lineEnd).strip();
          if (!line.isEmpty() && !KEY_BODY_LINE.matcher(line).matches()) break;
          if (!line.isEmpty()) end = i + t.substring(i, lineEnd).stripTrailing().length();
          if (nl < 0) break;
          i = nl + 1;
          if (line.isEmpty() && end > b.end()) break;
        }
      }
      out.add(doc.span(b.start(), end, PiiKind.SECRET));
      from = end;
    }
  }
}
