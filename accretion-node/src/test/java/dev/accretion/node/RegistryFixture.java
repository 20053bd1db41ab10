package dev.accretion.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.accretion.node.json.JsonText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A small npm registry served over HTTP on 127.0.0.1 by the tests: packuments, version documents
 * and tarballs of the packages published to it, optionally behind a bearer token or basic
 * credentials. Records every request with its Authorization header.
 */
public final class RegistryFixture implements AutoCloseable {
  /** A request the registry received. */
  public record Request(String path, String authorization) {}

  private final HttpServer server;
  private final Map<String, Map<String, Map<String, Object>>> packages = new ConcurrentHashMap<>();
  private final Map<String, byte[]> tarballs = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile String requiredAuthorization;
  // tarball downloads in progress and the most seen at once; answers may be held
  private final dev.accretion.testkit.InFlightGate tarballsInFlight =
      new dev.accretion.testkit.InFlightGate();

  public RegistryFixture() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** {@code http://127.0.0.1:PORT/}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** Requests must carry exactly this Authorization header (null: no check). */
  public RegistryFixture requireAuthorization(String header) {
    this.requiredAuthorization = header;
    return this;
  }

  /**
   * Holds tarball answers until {@code inFlight} downloads are in progress at once (then answers
   * everything from then on without holding), each for at most {@code millis}: shows how many
   * downloads a client overlaps, however slowly it starts them.
   */
  public RegistryFixture holdTarballsUntil(int inFlight, int millis) {
    tarballsInFlight.holdUntil(inFlight, millis);
    return this;
  }

  /** The most tarball downloads that were in progress at once. */
  public int mostTarballsInFlight() {
    return tarballsInFlight.most();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Publishes a tarball under a manifest (name and version taken from it). */
  public String publish(Map<String, Object> manifest, byte[] tgz) {
    String name = (String) manifest.get("name");
    String version = (String) manifest.get("version");
    String file = name.substring(name.lastIndexOf('/') + 1) + "-" + version + ".tgz";
    String tarballPath = name + "/-/" + file;
    tarballs.put(tarballPath, tgz);
    Map<String, Object> doc = new LinkedHashMap<>(manifest);
    Map<String, Object> dist = new LinkedHashMap<>();
    dist.put("tarball", url() + tarballPath);
    dist.put("integrity", "sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", tgz)));
    dist.put("shasum", HexFormat.of().formatHex(digest("SHA-1", tgz)));
    doc.put("dist", dist);
    packages.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).put(version, doc);
    return url() + tarballPath;
  }

  /** Publishes a package whose tarball holds package.json (the manifest) and the given files. */
  public String publish(Map<String, Object> manifest, Map<String, String> files) {
    TarBuilder t = new TarBuilder().file("package/package.json", JsonText.write(manifest));
    files.forEach((p, c) -> t.file("package/" + p, c));
    return publish(manifest, t.gzip());
  }

  /** The SRI integrity of a published tarball. */
  public String integrity(String name, String version) {
    return (String) ((Map<?, ?>) packages.get(name).get(version).get("dist")).get("integrity");
  }

  public static byte[] digest(String alg, byte[] b) {
    try {
      return MessageDigest.getInstance(alg).digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    requests.add(new Request(raw, auth));
    try (ex) {
      if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
        send(ex, 401, "{\"error\":\"unauthorized\"}");
        return;
      }
      String path = URLDecoder.decode(raw.substring(1), StandardCharsets.UTF_8);
      byte[] tgz = tarballs.get(path);
      if (tgz != null) {
        try {
          tarballsInFlight.enter();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          // out of flight before the answer: the client may ask again as soon as it has it
          tarballsInFlight.exit();
        }
        ex.sendResponseHeaders(200, tgz.length);
        try (OutputStream o = ex.getResponseBody()) {
          o.write(tgz);
        }
        return;
      }
      Map<String, Map<String, Object>> versions = packages.get(path);
      if (versions != null) {
        send(ex, 200, JsonText.write(packument(path, versions)));
        return;
      }
      int slash = path.lastIndexOf('/');
      if (slash > 0) {
        Map<String, Map<String, Object>> vs = packages.get(path.substring(0, slash));
        if (vs != null && vs.containsKey(path.substring(slash + 1))) {
          send(ex, 200, JsonText.write(vs.get(path.substring(slash + 1))));
          return;
        }
      }
      send(ex, 404, "{\"error\":\"not found\"}");
    }
  }

  private static Map<String, Object> packument(
      String name, Map<String, Map<String, Object>> versions) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", name);
    List<String> sorted = new ArrayList<>(versions.keySet());
    sorted.sort(
        (a, b) ->
            dev.accretion.node.semver.SemVer.of(a)
                .compareTo(dev.accretion.node.semver.SemVer.of(b)));
    doc.put("dist-tags", Map.of("latest", sorted.get(sorted.size() - 1)));
    Map<String, Object> vs = new LinkedHashMap<>();
    for (String v : sorted) {
      vs.put(v, versions.get(v));
    }
    doc.put("versions", vs);
    return doc;
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
