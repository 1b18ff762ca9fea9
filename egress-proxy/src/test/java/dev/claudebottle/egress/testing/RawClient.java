package dev.claudebottle.egress.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw socket to the proxy for malformed input, split chunks and TLS inside a tunnel with a
 * chosen SNI. Reads stop at close or after the timeout.
 */
public final class RawClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public RawClient(int proxyPort) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", proxyPort), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response head (up to the blank line) and returns it. */
    public String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until the proxy closes the connection (or the timeout) and returns the text. */
    public String readAll() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            all.write("<timeout>".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // connection reset after the response: keep what arrived
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** Returns true when the proxy closed the connection (end of stream or reset). */
    public boolean closedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return !(e instanceof SocketTimeoutException);
        }
    }

    /** Sends FIN: no more bytes from this side, reading goes on. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Sets the read timeout in milliseconds. */
    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Reads exactly {@code n} bytes and returns them as text. */
    public String readBytes(int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    /** Starts TLS over the tunnel with {@code sni} (null sends none) and makes it the stream. */
    public void startTls(SSLContext context, String sni) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, null,
                socket.getPort(), true);
        SSLParameters params = tls.getSSLParameters();
        if (sni != null) {
            params.setServerNames(java.util.List.of(new SNIHostName(sni)));
        } else {
            params.setServerNames(java.util.List.of());
        }
        tls.setSSLParameters(params);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
