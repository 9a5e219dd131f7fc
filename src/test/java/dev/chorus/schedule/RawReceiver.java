package dev.chorus.schedule;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on a raw socket, answering each request exactly as its {@link Answer} writes it
 * (one connection at a time), so that tests can misbehave where a real HTTP server would not.
 */
final class RawReceiver implements AutoCloseable {

    /** What the receiver writes once it has read a request. */
    interface Answer {
        void send(OutputStream out) throws IOException, InterruptedException;
    }

    /** Headers, then one byte a second: a body that takes {@code seconds} to arrive. */
    static Answer drip(int seconds) {
        return out -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + seconds + "\r\n\r\n").getBytes(US_ASCII));
            for (int i = 0; i < seconds; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(1000);
            }
        };
    }

    private final ServerSocket server;
    /** Every request read, head and body. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    RawReceiver(Answer answer) throws IOException {
        this(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()), answer);
    }

    RawReceiver(ServerSocket server, Answer answer) {
        this.server = server;
        Thread.ofPlatform().daemon().name("raw-receiver-" + server.getLocalPort()).start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    requests.add(readRequest(s.getInputStream()));
                    answer.send(s.getOutputStream());
                } catch (IOException | InterruptedException e) {
                    // the client went away, or the test ended
                }
            }
        });
    }

    /** The URL of {@code path} here, by the name the tests allow. */
    String url(String scheme, String path) {
        return scheme + "://localhost:" + server.getLocalPort() + path;
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("no request");
            }
            head.write(b);
        }
        String text = head.toString(US_ASCII);
        int length = Integer.parseInt(text.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return text + new String(in.readNBytes(length), US_ASCII);
    }
}
