package dev.sieve.ingest;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * URL normalisation and registered domains. Normal form: lower-case scheme and host, no default
 * port, no fragment, {@code /} for an empty path, dot segments resolved. The domain is the
 * registered domain under the public-suffix list (Guava's {@link InternetDomainName}):
 * {@code news.bbc.co.uk} → {@code bbc.co.uk}; IP addresses and unknown suffixes stay as they are.
 */
public final class Urls {
  private Urls() {}

  /** The normal form, or {@code null} when {@code url} is not an absolute http(s)/ftp URL. */
  public static String normalize(String url) {
    if (url == null || url.isBlank()) return null;
    try {
      URI u = new URI(url.strip()).normalize();
      String scheme = u.getScheme();
      String host = u.getHost();
      if (scheme == null || host == null) return null;
      scheme = scheme.toLowerCase(Locale.ROOT);
      host = host.toLowerCase(Locale.ROOT);
      if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
      int port = u.getPort();
      if (port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https")) port = -1;
      String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
      StringBuilder sb = new StringBuilder(url.length());
      sb.append(scheme).append("://");
      if (u.getRawUserInfo() != null) sb.append(u.getRawUserInfo()).append('@');
      sb.append(host);
      if (port >= 0) sb.append(':').append(port);
      sb.append(path);
      if (u.getRawQuery() != null) sb.append('?').append(u.getRawQuery());
      return sb.toString();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** Host of a URL, lower-cased, or {@code null}. */
  public static String host(String url) {
    if (url == null) return null;
    try {
      String h = new URI(url.strip()).getHost();
      return h == null ? null : h.toLowerCase(Locale.ROOT);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** Registered domain of a host ({@code www.example.co.uk} → {@code example.co.uk}). */
  public static String registeredDomain(String host) {
    if (host == null || host.isEmpty()) return null;
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
