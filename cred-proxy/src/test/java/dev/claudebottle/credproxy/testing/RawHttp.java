package dev.claudebottle.credproxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends hand-written HTTP/1.1 bytes, for requests a real client would refuse to produce
 * (path tricks, hop-by-hop headers), and reads one response.
 */
public final class RawHttp {

    /** A response as text: status code, head and body. */
    public record Response(int status, String head, String body) {
    }

    private RawHttp() {
    }

    /** Sends {@code request} verbatim on a new connection and reads one response. */
    public static Response exchange(InetSocketAddress address, String request) {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("raw HTTP exchange with " + address + " failed", e);
        }
    }

    /** Reads one response whose body has a Content-Length, or runs to end of stream. */
    public static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headText.substring(9, 12));
        int length = -1;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        boolean bodiless = status < 200 || status == 204 || status == 304;
        byte[] body;
        if (bodiless) {
            body = new byte[0];
        } else if (length >= 0) {
            body = in.readNBytes(length);
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headText, new String(body, StandardCharsets.UTF_8));
    }
}
