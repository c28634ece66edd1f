package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Public IPv4 and IPv6 addresses. Plain parsing (no {@code InetAddress}, which may resolve
 * names). Addresses that identify nobody are left untouched: IPv4 "this network" 0/8, private
 * 10/8, 172.16/12, 192.168/16, shared 100.64/10, loopback 127/8, link-local 169.254/16, IETF
 * 192.0.0/24, documentation 192.0.2/24, 198.51.100/24, 203.0.113/24, benchmarking 198.18/15,
 * multicast 224/4, reserved 240/4 and broadcast (RFC 6890); for IPv6 everything outside global
 * unicast 2000::/3 (unspecified, loopback, link-local, unique-local, multicast, IPv4-mapped
 * addresses of reserved IPv4s) and the documentation ranges 2001:db8::/32 and 3fff::/20
 * (RFC 3849, RFC 9637).
 *
 * <p>An IPv4 must stand alone: not preceded by a letter, digit or dot, and not followed by a
 * letter, digit, ".digit" or "-word", so version strings ({@code v1.2.3.4}, {@code 1.2.3.4.5}) and parts of
 * longer dotted numbers are not addresses. Octets have no leading zeros.
 */
public final class IpAddressDetector implements PiiDetector {
  private static final long serialVersionUID = 1L;
  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

  /** {address, prefix length} of the IPv4 ranges left untouched. */
  private static final long[][] RESERVED_V4 = {
      {ip(0, 0, 0, 0), 8}, {ip(10, 0, 0, 0), 8}, {ip(100, 64, 0, 0), 10}, {ip(127, 0, 0, 0), 8},
      {ip(169, 254, 0, 0), 16}, {ip(172, 16, 0, 0), 12}, {ip(192, 0, 0, 0), 24}, {ip(192, 0, 2, 0), 24},
      {ip(192, 168, 0, 0), 16}, {ip(198, 18, 0, 0), 15}, {ip(198, 51, 100, 0), 24}, {ip(203, 0, 113, 0), 24},
      {ip(224, 0, 0, 0), 4}, {ip(240, 0, 0, 0), 4}};

  private final boolean skipReserved;

  /** Leaves reserved ranges untouched. */
  public IpAddressDetector() {
    this(true);
  }

  /** @param skipReserved false to tag every well-formed address, reserved ranges included */
  public IpAddressDetector(boolean skipReserved) {
    this.skipReserved = skipReserved;
  }

  @Override
  public PiiKind kind() {
    return PiiKind.IP_ADDRESS;
  }

  @Override
  public void find(PiiInput doc, List<PiiSpan> out) {
    String t = doc.folded();
    int n = t.length();
    for (int i = 0; i < n; ) {
      if (!Chars.isDigit(t.charAt(i))) {
        i++;
        continue;
      }
      int s = i, dots = 0;
      while (i < n && (Chars.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
        if (t.charAt(i) == '.') dots++;
        i++;
      }
      int e = i;
      while (e > s && t.charAt(e - 1) == '.') {
        e--;
        dots--;
      }
      if (dots != 3 || (s > 0 && (t.charAt(s - 1) == '.' || Chars.isAsciiLetter(t.charAt(s - 1)))) || Chars.alnumAt(t, i)) continue;
      if (e < i && Chars.digitAt(t, e + 1)) continue; // "1.2.3.4..5"
      if (i + 1 < n && (t.charAt(i) == '-' || t.charAt(i) == '_') && Chars.isAsciiAlnum(t.charAt(i + 1))) continue; // "4.3.2.1-beta"
      if (!IPV4_EXACT.matcher(t).region(s, e).matches()) continue;
      if (!skipReserved || isPublicV4(parseV4(t, s, e))) out.add(doc.span(s, e, PiiKind.IP_ADDRESS));
    }
    int colon = t.indexOf(':');
    while (colon >= 0) {
      int s = colon, e = colon + 1;
      while (s > 0 && isV6Char(t.charAt(s - 1))) s--;
      while (e < t.length() && isV6Char(t.charAt(e))) e++;
      int next = e;
      while (e > s && (t.charAt(e - 1) == '.' || (t.charAt(e - 1) == ':' && (e - 2 < s || t.charAt(e - 2) != ':')))) e--;
      while (s < e && t.charAt(s) == '.') s++;
      if (!Chars.alnumAt(t, s - 1) && !Chars.alnumAt(t, next) && (next == e || !Chars.alnumAt(t, e))) {
        int[] groups = parseV6(t, s, e);
        if (groups != null && (!skipReserved || isPublicV6(groups))) out.add(doc.span(s, e, PiiKind.IP_ADDRESS));
      }
      colon = next < t.length() ? t.indexOf(':', next) : -1;
    }
  }

  private static boolean isV6Char(char c) {
    return Chars.isHex(c) || c == ':' || c == '.';
  }

  private static long ip(int a, int b, int c, int d) {
    return ((long) a << 24) | (b << 16) | (c << 8) | d;
  }

  static long parseV4(CharSequence t, int from, int to) {
    long v = 0;
    int octet = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c == '.') {
        v = (v << 8) | octet;
        octet = 0;
      } else {
        octet = octet * 10 + (c - '0');
      }
    }
    return (v << 8) | octet;
  }

  static boolean isPublicV4(long addr) {
    if (addr == 0xFFFFFFFFL) return false;
    for (long[] r : RESERVED_V4) {
      long mask = (0xFFFFFFFFL << (32 - r[1])) & 0xFFFFFFFFL;
      if ((addr & mask) == r[0]) return false;
    }
    return true;
  }

  /**
   * The eight 16-bit groups of the IPv6 address in {@code t[from, to)}, or null when it is not
   * one: hex groups of 1-4 digits separated by single colons, at most one {@code ::}, an
   * optional dotted IPv4 as the last 32 bits.
   */
  static int[] parseV6(CharSequence t, int from, int to) {
    String s = t.subSequence(from, to).toString();
    if (s.length() < 2) return null;
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return null;
    String head = dbl >= 0 ? s.substring(0, dbl) : s;
    String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
    int[] h = groups(head, dbl < 0);
    int[] tl = dbl >= 0 ? groups(tail, true) : new int[0];
    if (h == null || tl == null) return null;
    int n = h.length + tl.length;
    if (dbl < 0 ? n != 8 : n > 7) return null;
    if (dbl >= 0 && n < 2) return null; // "::", "::1", "a::": too little to be anyone's address
    int[] out = new int[8];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(tl, 0, out, 8 - tl.length, tl.length);
    return out;
  }

  /** Colon-separated groups; the last may be a dotted IPv4 when {@code last} (two groups). */
  private static int[] groups(String s, boolean last) {
    if (s.isEmpty()) return new int[0];
    String[] parts = s.split(":", -1);
    int dots = parts[parts.length - 1].indexOf('.');
    int n = parts.length + (dots >= 0 ? 1 : 0);
    if (n > 8) return null;
    int[] g = new int[n];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && dots >= 0) {
        if (!last) return null;
        Matcher m = IPV4_EXACT.matcher(p);
        if (!m.matches()) return null;
        long v = parseV4(p, 0, p.length());
        g[i] = (int) (v >>> 16);
        g[i + 1] = (int) (v & 0xFFFF);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) return null;
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        if (!Chars.isHex(c)) return null;
        v = v * 16 + Character.digit(c, 16);
      }
      g[i] = v;
    }
    return g;
  }

  private static final Pattern IPV4_EXACT = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");

  static boolean isPublicV6(int[] g) {
    boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF;
    if (mapped) return isPublicV4(((long) g[6] << 16) | g[7]);
    if ((g[0] & 0xE000) != 0x2000) return false; // outside global unicast 2000::/3
    if (g[0] == 0x2001 && g[1] == 0x0db8) return false; // documentation, RFC 3849
    if ((g[0] & 0xFFFF) == 0x3fff && (g[1] & 0xF000) == 0) return false; // documentation, RFC 9637
    return true;
  }
}
