package dev.chorus.schedule;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a webhook may be posted: an http(s) URL whose host resolves only to public addresses, unless
 * the host (by name, or by address) is on the allowed list. Loopback, link-local (cloud metadata at
 * 169.254.169.254), private (RFC 1918, shared 100.64/10, IPv6 ULA fc00::/7), unspecified, broadcast and
 * multicast addresses are refused, also when written as IPv4-mapped or IPv4-compatible IPv6.
 *
 * <p>{@link #resolve} resolves the host once and returns the checked addresses: the caller connects to
 * those, not to the name again, so a name that resolves elsewhere the second time (DNS rebinding) cannot
 * get around the check.
 *
 * @implNote Immutable and thread-safe.
 */
final class WebhookTargets {

    /** A checked destination: connect to one of {@code addresses}, speaking to {@code host}. */
    record Target(String host, int port, boolean tls, String hostHeader, String requestTarget,
                  List<InetAddress> addresses) {
    }

    /** A URL Chorus does not post to; the message says why. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final Set<String> allowedNames = new HashSet<>();
    private final Set<InetAddress> allowedAddresses = new HashSet<>();

    /** @param allowedHosts host names and IP addresses exempt from the address check */
    WebhookTargets(List<String> allowedHosts) {
        for (String entry : allowedHosts) {
            String host = unbracket(entry.trim()).toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                continue;
            }
            allowedNames.add(name(host));
            if (host.contains(":") || host.matches("[0-9.]+")) { // an IP literal: no name lookup
                try {
                    allowedAddresses.add(InetAddress.getByName(host));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("chorus.webhooks.allowed-hosts: '" + entry
                            + "' is neither a host name nor an IP address");
                }
            }
        }
    }

    /**
     * Parses {@code url}, resolves its host once and checks every address it resolves to.
     *
     * @throws Refused when the URL is not http(s) or an address is not allowed
     * @throws UnknownHostException when the host does not resolve
     */
    Target resolve(String url) throws Refused, UnknownHostException {
        URI uri = parse(url);
        String host = unbracket(uri.getHost());
        InetAddress[] addresses = InetAddress.getAllByName(host);
        boolean nameAllowed = allowedNames.contains(name(host));
        for (InetAddress address : addresses) {
            Optional<String> kind = forbiddenKind(address);
            if (kind.isPresent() && !nameAllowed && !allowedAddresses.contains(address)) {
                throw new Refused("refused: " + address.getHostAddress() + " is " + kind.get()
                        + (address.getHostAddress().equalsIgnoreCase(host) ? "" : " (" + host + ")"));
            }
        }
        boolean tls = "https".equals(uri.getScheme());
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new Target(host, port, tls, uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()),
                path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), Arrays.asList(addresses));
    }

    /**
     * What is wrong with {@code url} as a job's webhook, for a person to fix; empty when nothing is known
     * to be: a host that does not resolve now is accepted (it is checked again at each delivery).
     */
    Optional<String> problem(String url) {
        try {
            resolve(url);
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.getMessage().replaceFirst("^refused: ", "") + "; Chorus posts to loopback, "
                    + "link-local, private, unspecified and multicast addresses only when chorus.webhooks.allowed-hosts "
                    + "lists the host");
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The host of {@code url} and its port, for logs: its path and query may carry a secret. */
    static String where(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "(a malformed URL)";
        }
    }

    private static URI parse(String url) throws Refused {
        try {
            URI uri = new URI(url);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw new Refused("refused: '" + url + "' is not an http(s) URL with a host");
    }

    /** What kind of address Chorus does not post to {@code a} is, e.g. "a loopback address"; empty when none. */
    static Optional<String> forbiddenKind(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            boolean zeros = Arrays.equals(b, 0, 10, new byte[10], 0, 10);
            boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compatible = zeros && b[10] == 0 && b[11] == 0 && !a.isLoopbackAddress() && !a.isAnyLocalAddress();
            boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                    && (b[3] & 0xff) == 0x9b && Arrays.equals(b, 4, 12, new byte[8], 0, 8);
            if (mapped || compatible || nat64) {
                return forbiddenKind(ipv4(Arrays.copyOfRange(b, 12, 16)));
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return Optional.of("a private address (IPv6 unique local, fc00::/7)");
            }
        }
        if (a.isAnyLocalAddress() || a instanceof Inet4Address && b[0] == 0) {
            return Optional.of("an unspecified address");
        }
        if (a.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (a.isSiteLocalAddress() || a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return Optional.of("a private address");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        if (a instanceof Inet4Address && Arrays.equals(b, new byte[] {-1, -1, -1, -1})) {
            return Optional.of("a broadcast address");
        }
        return Optional.empty();
    }

    private static InetAddress ipv4(byte[] four) {
        try {
            return InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** A host name as compared with the allowed ones: lower case, without the root's dot. */
    private static String name(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
