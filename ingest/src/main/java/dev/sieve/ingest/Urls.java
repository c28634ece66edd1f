package dev.sieve.ingest;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * URL normalisation and registered domains.
 *
 * <p>A URL is parsed the way browsers parse it (the WHATWG URL standard's lenient reading of
 * special schemes), so that the off-spec URLs real crawls hold keep their host: leading and
 * trailing spaces and control characters are stripped, tabs and line breaks inside removed, a
 * {@code <...>} wrapper dropped, any run of {@code /} and {@code \} after the scheme accepted, and
 * {@code \} in the path read as {@code /}. The normal form then is: lower-case scheme and host; the
 * host percent-decoded, IDN hosts in punycode ({@code 例子.中国} → {@code xn--fsqu00a.xn--fiqs8s}),
 * full-width dots as dots, trailing dots dropped; no default port (80, 443, 21) and no empty port;
 * {@code /} for an empty path and dot segments resolved; no fragment; and every character RFC 3986
 * does not allow in a path or query percent-encoded as UTF-8 — spaces and control characters,
 * non-ASCII, {@code " < > \ ^ ` { | }}, {@code [ ]} in the path, and a {@code %} that starts no
 * escape ({@code q=red|blue} → {@code q=red%7Cblue}, {@code summer sale.html} →
 * {@code summer%20sale.html}). Existing escapes are kept as they are. A character that could not
 * be decoded upstream (U+FFFD from a non-UTF-8 byte in {@code WARC-Target-URI}) is encoded too.
 * The result always parses with {@link URI}.
 *
 * <p>The domain is the registered domain under the public-suffix list (Guava's
 * {@link InternetDomainName}): {@code news.bbc.co.uk} → {@code bbc.co.uk}; IP addresses and
 * unknown suffixes stay as they are.
 */
public final class Urls {
  private static final String HEX = "0123456789ABCDEF";

  private Urls() {}

  /** The parts of a URL, parsed leniently; null when it is not an absolute http(s)/ftp URL with a valid host. */
  private record Parts(String scheme, String userInfo, String host, int port, String path, String query) {}

  /** The normal form, or {@code null} when {@code url} is not an absolute http(s)/ftp URL. */
  public static String normalize(String url) {
    Parts p = parse(url);
    if (p == null) return null;
    StringBuilder sb = new StringBuilder(url.length() + 16);
    sb.append(p.scheme).append("://");
    if (p.userInfo != null) sb.append(p.userInfo).append('@');
    sb.append(p.host);
    if (p.port >= 0) sb.append(':').append(p.port);
    sb.append(p.path);
    if (p.query != null) sb.append('?').append(p.query);
    String out = sb.toString();
    try {
      new URI(out);
      return out;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** Host of a URL (lower-case, punycode, as {@link #normalize} gives it), or {@code null}. */
  public static String host(String url) {
    Parts p = parse(url);
    return p == null ? null : p.host;
  }

  private static Parts parse(String url) {
    if (url == null) return null;
    String s = strip(url);
    if (s.length() > 1 && s.charAt(0) == '<' && s.charAt(s.length() - 1) == '>') s = strip(s.substring(1, s.length() - 1));
    if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) s = s.replaceAll("[\\t\\n\\r]", "");
    int colon = s.indexOf(':');
    if (colon <= 0) return null;
    String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
    int defaultPort = switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      case "ftp" -> 21;
      default -> -2;
    };
    if (defaultPort == -2) return null;
    int i = colon + 1;
    while (i < s.length() && (s.charAt(i) == '/' || s.charAt(i) == '\\')) i++;
    int end = i;
    while (end < s.length() && "/\\?#".indexOf(s.charAt(end)) < 0) end++;
    String authority = s.substring(i, end);
    String rest = s.substring(end);
    int hash = rest.indexOf('#');
    if (hash >= 0) rest = rest.substring(0, hash);
    int q = rest.indexOf('?');
    String rawPath = q >= 0 ? rest.substring(0, q) : rest;
    String rawQuery = q >= 0 ? rest.substring(q + 1) : null;

    String userInfo = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      userInfo = userInfo.isEmpty() ? null : encode(userInfo, "\"<>\\^`{|}[]/?#@");
    }
    String hostPart = authority;
    String portPart = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) return null;
      hostPart = authority.substring(0, close + 1);
      String after = authority.substring(close + 1);
      if (!after.isEmpty()) {
        if (after.charAt(0) != ':') return null;
        portPart = after.substring(1);
      }
    } else {
      int pc = authority.lastIndexOf(':');
      if (pc >= 0) {
        hostPart = authority.substring(0, pc);
        portPart = authority.substring(pc + 1);
      }
    }
    int port = -1;
    if (portPart != null && !portPart.isEmpty()) {
      if (!portPart.chars().allMatch(c -> c >= '0' && c <= '9') || portPart.length() > 5) return null;
      port = Integer.parseInt(portPart);
      if (port > 65535) return null;
      if (port == defaultPort) port = -1;
    }
    String host = host0(hostPart);
    if (host == null) return null;
    String path = encode(resolveDots(rawPath.replace('\\', '/')), "\"<>\\^`{|}[]?#");
    if (path.isEmpty() || path.charAt(0) != '/') path = "/" + path;
    String query = rawQuery == null ? null : encode(rawQuery, "\"<>\\^`{|}#");
    return new Parts(scheme, userInfo, host, port, path, query);
  }

  /** The host in normal form, or null when it is not a valid host. */
  private static String host0(String raw) {
    if (raw.isEmpty()) return null;
    if (raw.startsWith("[")) {
      String v6 = raw.substring(1, raw.length() - 1);
      return InetAddresses.isInetAddress(v6) ? "[" + v6.toLowerCase(Locale.ROOT) + "]" : null;
    }
    String h = percentDecode(raw).toLowerCase(Locale.ROOT);
    for (int k = 0; k < h.length(); k++) {
      char c = h.charAt(k);
      if (c <= 0x20 || c == 0x7F || "#%/:<>?@[\\]^|\"{}`".indexOf(c) >= 0 || c == '\uFFFD') return null;
    }
    try {
      h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
    while (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    return h.isEmpty() || h.startsWith(".") || h.contains("..") ? null : h;
  }

  private static String strip(String s) {
    int a = 0, b = s.length();
    while (a < b && s.charAt(a) <= 0x20) a++;
    while (b > a && s.charAt(b - 1) <= 0x20) b--;
    return s.substring(a, b);
  }

  /** Removes {@code .} and {@code ..} segments (RFC 3986 5.2.4; {@code %2e} counts as a dot, as in WHATWG). */
  private static String resolveDots(String path) {
    if (path.isEmpty()) return "/";
    String[] segs = path.split("/", -1);
    List<String> out = new ArrayList<>();
    for (int k = 1; k < segs.length; k++) {
      String seg = segs[k];
      String lower = seg.toLowerCase(Locale.ROOT);
      boolean last = k == segs.length - 1;
      if (lower.equals(".") || lower.equals("%2e")) {
        if (last) out.add("");
      } else if (lower.equals("..") || lower.equals(".%2e") || lower.equals("%2e.") || lower.equals("%2e%2e")) {
        if (!out.isEmpty()) out.remove(out.size() - 1);
        if (last) out.add("");
      } else {
        out.add(seg);
      }
    }
    return "/" + String.join("/", out);
  }

  /** Percent-encodes (as UTF-8) controls, spaces, non-ASCII, the characters in {@code extra}, and a {@code %} that starts no escape. */
  private static String encode(String s, String extra) {
    StringBuilder sb = null;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      boolean bad = c <= 0x20 || c >= 0x7F || extra.indexOf(c) >= 0
          || c == '%' && !(k + 2 < s.length() && isHex(s.charAt(k + 1)) && isHex(s.charAt(k + 2)));
      if (!bad) {
        if (sb != null) sb.append(c);
        continue;
      }
      if (sb == null) sb = new StringBuilder(s.length() + 16).append(s, 0, k);
      int cp = s.codePointAt(k);
      if (Character.isSupplementaryCodePoint(cp)) k++;
      else if (Character.isSurrogate(c)) cp = 0xFFFD;
      for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
        sb.append('%').append(HEX.charAt((b >> 4) & 0xF)).append(HEX.charAt(b & 0xF));
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /** Decodes {@code %xx} escapes as UTF-8 (invalid sequences become U+FFFD). */
  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) return s;
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '%' && k + 2 < s.length() && isHex(s.charAt(k + 1)) && isHex(s.charAt(k + 2))) {
        out.write(Integer.parseInt(s.substring(k + 1, k + 3), 16));
        k += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Hosts remembered by {@link #registeredDomain} (a crawl repeats hosts); forgotten all at once when full. */
  static final int DOMAIN_CACHE_SIZE = 65_536;
  private static final java.util.concurrent.ConcurrentHashMap<String, String> DOMAINS = new java.util.concurrent.ConcurrentHashMap<>();

  /** Registered domain of a host ({@code www.example.co.uk} → {@code example.co.uk}). */
  public static String registeredDomain(String host) {
    if (host == null || host.isEmpty()) return null;
    String known = DOMAINS.get(host);
    if (known != null) return known;
    String d = registeredDomain0(host);
    if (DOMAINS.size() >= DOMAIN_CACHE_SIZE) DOMAINS.clear();
    DOMAINS.put(host, d);
    return d;
  }

  private static String registeredDomain0(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (InetAddresses.isInetAddress(h)) return h;
    try {
      InternetDomainName d = InternetDomainName.from(h);
      if (d.isUnderPublicSuffix()) return d.topPrivateDomain().toString();
      return h;
    } catch (IllegalArgumentException | IllegalStateException e) {
      return h;
    }
  }
}
