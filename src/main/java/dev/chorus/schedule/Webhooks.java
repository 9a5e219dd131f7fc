package dev.chorus.schedule;

import dev.chorus.config.ChorusConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Posts a JSON notification to a webhook URL, over HTTP/1.1 on a socket of its own to an address that
 * {@link WebhookTargets} checked (https: TLS with SNI, the certificate verified against the URL's host).
 *
 * <p>One deadline ({@code chorus.webhooks.timeout}) covers the whole exchange: resolving, connecting,
 * TLS, sending, the response's headers and body; when it passes, the socket is closed under whatever
 * is waiting. Of the response only the status counts: the body is read to at most {@link #BODY_CAP}
 * bytes and thrown away, never logged nor stored.
 *
 * @implNote Thread-safe: each {@link #post} uses its own socket. It blocks its caller for at most about
 *     the deadline (plus what the system resolver takes for a name it cannot resolve).
 */
@ApplicationScoped
class Webhooks {

    /** The most of a response body that is read (and discarded). */
    static final int BODY_CAP = 4096;
    /** The most a response's status line and headers may take. */
    static final int HEAD_CAP = 16 * 1024;

    private final WebhookTargets targets;
    private final Duration timeout;
    private final SSLSocketFactory tls;
    private final ScheduledExecutorService alarms = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chorus-webhook-deadline");
        t.setDaemon(true);
        return t;
    });

    @Inject
    Webhooks(ChorusConfig config) {
        this(new WebhookTargets(config.webhooks().allowedHosts().orElse(List.of())), config.webhooks().timeout(),
                (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    Webhooks(WebhookTargets targets, Duration timeout, SSLSocketFactory tls) {
        this.targets = targets;
        this.timeout = timeout;
        this.tls = tls;
    }

    @PreDestroy
    void stop() {
        alarms.shutdownNow();
    }

    /** What is wrong with {@code url} as a webhook, for a person to fix (see {@link WebhookTargets#problem}). */
    Optional<String> problem(String url) {
        return targets.problem(url);
    }

    /**
     * @return empty when the receiver answered 2xx, else what went wrong: the status ("HTTP 500"), or the
     *     kind of failure ("timed out after 15 s", "refused: 127.0.0.1 is a loopback address"); never
     *     anything the receiver sent
     */
    Optional<String> post(String url, String json) {
        long deadline = System.nanoTime() + timeout.toNanos();
        WebhookTargets.Target target;
        try {
            target = targets.resolve(url);
        } catch (WebhookTargets.Refused e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.of("unknown host");
        }
        Exchange exchange = new Exchange();
        ScheduledFuture<?> alarm = alarms.schedule(exchange::expire, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        try {
            int status = exchange.run(target, json.getBytes(StandardCharsets.UTF_8), deadline);
            return status / 100 == 2 ? Optional.empty() : Optional.of("HTTP " + status);
        } catch (IOException e) {
            return Optional.of(exchange.expired ? "timed out after " + seconds(timeout) : failure(e));
        } finally {
            alarm.cancel(false);
            exchange.finish();
        }
    }

    private static String failure(IOException e) {
        if (e instanceof SSLException) {
            return "TLS failed (" + e.getClass().getSimpleName() + ")";
        }
        if (e instanceof MalformedResponse) {
            return "malformed HTTP response";
        }
        return "connection failed (" + e.getClass().getSimpleName() + ")";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** One request on one socket; {@link #expire} closes it from any thread. */
    private final class Exchange {
        private volatile Socket socket;
        private volatile boolean expired;
        private volatile boolean done;

        int run(WebhookTargets.Target target, byte[] body, long deadline) throws IOException {
            IOException last = new IOException("no address");
            for (InetAddress address : target.addresses()) { // each was checked
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                Socket raw = open();
                try {
                    raw.connect(new InetSocketAddress(address, target.port()), (int) Math.max(1, left));
                } catch (IOException e) {
                    last = e;
                    raw.close();
                    if (expired) {
                        throw e;
                    }
                    continue;
                }
                Socket s = target.tls() ? secure(raw, target) : raw;
                byte[] head = ("POST " + target.requestTarget() + " HTTP/1.1\r\nHost: " + target.hostHeader()
                        + "\r\nUser-Agent: Chorus\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                OutputStream out = s.getOutputStream();
                out.write(head);
                out.write(body);
                out.flush();
                return readStatus(s.getInputStream());
            }
            throw last;
        }

        private synchronized Socket open() throws IOException {
            if (expired || done) {
                throw new IOException("the deadline passed");
            }
            socket = new Socket();
            return socket;
        }

        private SSLSocket secure(Socket raw, WebhookTargets.Target target) throws IOException {
            SSLSocket s = (SSLSocket) tls.createSocket(raw, target.host(), target.port(), true); // SNI from the host
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
            s.setSSLParameters(p);
            s.startHandshake();
            return s;
        }

        /** The deadline passed: closes the raw socket (not the TLS layer, whose close may wait on the reader). */
        synchronized void expire() {
            if (!done) {
                expired = true;
                finish();
            }
        }

        /** Ends the exchange: closes its socket; later alarms do nothing. */
        synchronized void finish() {
            done = true;
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException e) {
                // closing is all that was wanted
            }
        }
    }

    /** Reads the final status line and headers, then at most {@link #BODY_CAP} bytes of the body. */
    static int readStatus(InputStream in) throws IOException {
        byte[] buf = new byte[HEAD_CAP];
        int n = 0;
        while (true) {
            int end = headEnd(buf, n);
            if (end < 0) {
                if (n == buf.length) {
                    throw new MalformedResponse();
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    throw new MalformedResponse();
                }
                n += r;
                continue;
            }
            String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
            int status = status(head);
            System.arraycopy(buf, end, buf, 0, n - end);
            n -= end;
            if (status >= 100 && status < 200 && status != 101) {
                continue; // an interim response: the final one follows
            }
            if (status != 204 && status != 304 && status >= 200) {
                long length = contentLength(head);
                long read = n;
                byte[] sink = new byte[1024];
                while (read < Math.min(length, BODY_CAP)) {
                    int r = in.read(sink, 0, (int) Math.min(sink.length, Math.min(length, BODY_CAP) - read));
                    if (r < 0) {
                        break;
                    }
                    read += r;
                }
            }
            return status;
        }
    }

    private static int headEnd(byte[] b, int n) {
        for (int i = 3; i < n; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int status(String head) throws MalformedResponse {
        if (!head.matches("(?s)HTTP/1\\.[01] [1-5][0-9][0-9]([ \\r].*)?")) {
            throw new MalformedResponse();
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    /** The Content-Length, or {@link Long#MAX_VALUE} when there is none (the body ends when the receiver closes). */
    private static long contentLength(String head) throws MalformedResponse {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                try {
                    return Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new MalformedResponse();
                }
            }
        }
        return Long.MAX_VALUE;
    }

    private static final class MalformedResponse extends IOException {
        MalformedResponse() {
            super("malformed HTTP response", null);
        }
    }
}
