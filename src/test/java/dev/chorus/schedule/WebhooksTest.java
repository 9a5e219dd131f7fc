package dev.chorus.schedule;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries against receivers on raw local sockets that misbehave: one that drips its response, one that
 * sends without end, one that answers an error with a secret in the body, and TLS receivers.
 */
class WebhooksTest {

    /** Short, so the tests are quick; the margins on top of it are generous for a busy machine. */
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private final List<RawReceiver> receivers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (RawReceiver r : receivers) {
            r.close();
        }
    }

    private static Webhooks webhooks(Duration deadline, SSLSocketFactory tls) {
        return new Webhooks(new WebhookTargets(List.of("localhost")), deadline, tls);
    }

    private static Webhooks webhooks(Duration deadline) {
        return webhooks(deadline, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    private RawReceiver serve(RawReceiver.Answer answer) throws IOException {
        RawReceiver r = new RawReceiver(answer);
        receivers.add(r);
        return r;
    }

    private RawReceiver serve(ServerSocket server, RawReceiver.Answer answer) {
        RawReceiver r = new RawReceiver(server, answer);
        receivers.add(r);
        return r;
    }

    @Test
    void aReceiverThatDripsItsResponseIsCutOffAtTheDeadline() throws Exception {
        RawReceiver dripsBody = serve(RawReceiver.drip(120)); // two minutes at one byte a second
        RawReceiver dripsHead = serve(out -> {
            for (byte b : "HTTP/1.1 200 OK\r\nX-Slow: yes\r\n\r\n".repeat(4).getBytes(US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(1000);
            }
        });
        for (RawReceiver r : List.of(dripsBody, dripsHead)) {
            long start = System.nanoTime();
            Optional<String> failure = webhooks(DEADLINE).post(r.url("http", "/hook"), "{}");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(failure).hasValue("timed out after 2 s");
            assertThat(took).as("the deadline covers the whole exchange").isLessThan(DEADLINE.plusSeconds(20));
        }
    }

    @Test
    void aBodyWithoutEndIsReadOnlyToTheCap() throws Exception {
        AtomicLong written = new AtomicLong();
        long endless = 256L << 20;
        RawReceiver r = serve(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes(US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            while (written.get() < endless) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        });
        Optional<String> failure = webhooks(Duration.ofSeconds(60)).post(r.url("http", "/hook"), "{}");
        assertThat(failure).as("delivered once the status came, not timed out reading 256 MiB").isEmpty();
        assertThat(written.get()).as("the receiver's writes failed once its buffers were full").isLessThan(endless);
    }

    @Test
    void anErrorBodyNeverReachesTheReasonAndTheRequestNamesTheHost() throws Exception {
        String secret = "internal-token-7f3a9c";
        RawReceiver r = serve(out -> out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Length: " + (secret.length() + 8)
                + "\r\nConnection: close\r\n\r\nsecret: " + secret).getBytes(US_ASCII)));
        Optional<String> failure = webhooks(DEADLINE.plusSeconds(20)).post(r.url("http", "/hook?k=v"), "{\"a\":1}");
        assertThat(failure).hasValue("HTTP 500");
        assertThat(r.requests).singleElement().satisfies(request -> assertThat(request)
                .startsWith("POST /hook?k=v HTTP/1.1\r\n").contains("\r\nHost: localhost:" + r.port() + "\r\n")
                .contains("Content-Type: application/json").endsWith("\r\n\r\n{\"a\":1}"));

        RawReceiver garbage = serve(out -> out.write(("SSH-2.0-" + secret + "\r\n\r\n").getBytes(US_ASCII)));
        assertThat(webhooks(DEADLINE.plusSeconds(20)).post(garbage.url("http", "/"), "{}"))
                .hasValue("malformed HTTP response");
        RawReceiver interim = serve(out -> out.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n".getBytes(US_ASCII)));
        assertThat(webhooks(DEADLINE.plusSeconds(20)).post(interim.url("http", "/"), "{}")).isEmpty();
    }

    @Test
    void aRefusedOrUnreachableHostFailsWithoutConnecting() throws Exception {
        assertThat(webhooks(DEADLINE).post("http://169.254.169.254/latest/meta-data/", "{}"))
                .hasValue("refused: 169.254.169.254 is a link-local address");
        ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = closed.getLocalPort();
        closed.close();
        assertThat(webhooks(DEADLINE.plusSeconds(20)).post("http://localhost:" + port + "/", "{}"))
                .hasValue("connection failed (ConnectException)");
        assertThat(webhooks(DEADLINE).post("http://hooks.invalid/", "{}")).hasValue("unknown host");
    }

    /**
     * The connection goes to the checked address, yet TLS still names and verifies the URL's host: a
     * certificate for {@code localhost} (no IP in it) is accepted, one for another name is not.
     */
    @Test
    void httpsVerifiesTheCertificateAgainstTheUrlsHost(@TempDir Path dir) throws Exception {
        KeyStore good = keyStore(dir, "good", "localhost");
        KeyStore other = keyStore(dir, "other", "hooks.example.org");
        RawReceiver goodOne = serve(tlsServer(good), out -> out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(US_ASCII)));
        RawReceiver otherOne = serve(tlsServer(other), out -> out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(US_ASCII)));

        Duration deadline = DEADLINE.plusSeconds(20);
        assertThat(webhooks(deadline, trusting(good, other)).post(goodOne.url("https", "/hook"), "{}")).isEmpty();
        assertThat(goodOne.requests).singleElement().satisfies(r -> assertThat(r).contains("Host: localhost:" + goodOne.port()));
        assertThat(webhooks(deadline, trusting(good, other)).post(otherOne.url("https", "/hook"), "{}"))
                .hasValue("TLS failed (SSLHandshakeException)");
        assertThat(webhooks(deadline, trusting(other)).post(goodOne.url("https", "/hook"), "{}"))
                .as("a certificate nobody vouches for").hasValue("TLS failed (SSLHandshakeException)");
    }

    private static KeyStore keyStore(Path dir, String name, String host) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + host,
                "-ext", "SAN=dns:" + host, "-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), US_ASCII);
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }

    private static ServerSocket tlsServer(KeyStore keys) throws Exception {
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(km.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    private static SSLSocketFactory trusting(KeyStore... stores) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (KeyStore s : stores) {
            String alias = s.aliases().nextElement();
            trusted.setCertificateEntry(alias, s.getCertificate(alias));
        }
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tm.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
