package dev.accretion.inspect;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Serves one file over HTTP with byte ranges (or, if told, without), counting what it sends. */
final class RangeServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  final AtomicLong sent = new AtomicLong();
  final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;
  volatile boolean ranges = true;
  volatile int status = 0;

  RangeServer(Path file) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (status != 0) {
              exchange.sendResponseHeaders(status, -1);
              return;
            }
            long size = ch.size();
            String header = exchange.getRequestHeaders().getFirst("Range");
            long first = 0;
            long last = size - 1;
            int code = 200;
            if (ranges && header != null) {
              Matcher m = RANGE.matcher(header);
              if (m.matches()) {
                if (m.group(1).isEmpty()) {
                  first = Math.max(0, size - Long.parseLong(m.group(2)));
                } else {
                  first = Long.parseLong(m.group(1));
                  last =
                      m.group(2).isEmpty()
                          ? size - 1
                          : Math.min(size - 1, Long.parseLong(m.group(2)));
                }
                code = 206;
                exchange
                    .getResponseHeaders()
                    .add("Content-Range", "bytes " + first + "-" + last + "/" + size);
              }
            }
            long length = last - first + 1;
            exchange.sendResponseHeaders(code, length);
            try (OutputStream out = exchange.getResponseBody()) {
              java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 << 10);
              long at = first;
              while (at <= last) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), last - at + 1));
                int n = ch.read(buffer, at);
                out.write(buffer.array(), 0, n);
                sent.addAndGet(n);
                at += n;
              }
            } catch (IOException e) {
              // the client stopped reading
            }
          }
        });
    server.start();
  }

  URI uri() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/layer.zip?X-Amz-Signature=secret");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
