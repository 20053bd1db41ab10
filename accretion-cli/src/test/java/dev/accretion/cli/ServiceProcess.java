package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code accretion serve} in its own JVM, as a user starts it, against moto and the machine's pip
 * configuration; and a small HTTP client for its API.
 */
final class ServiceProcess implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Process process;
  final URI base;
  final Path out;
  final Path err;

  private ServiceProcess(Process process, URI base, Path out, Path err) {
    this.process = process;
    this.base = base;
    this.out = out;
    this.err = err;
  }

  /** The environment a user's shell would give: moto's AWS variables, the user's pip setup. */
  static Map<String, String> env(Path dir) {
    Map<String, String> env = new LinkedHashMap<>(MotoServer.environment(dir, "us-east-1"));
    env.put("HOME", System.getProperty("user.home"));
    System.getenv()
        .forEach(
            (k, v) -> {
              if (k.startsWith("PIP_") || k.startsWith("XDG_CONFIG") || k.equals("PATH")) {
                env.put(k, v);
              }
            });
    return env;
  }

  /**
   * Starts {@code accretion serve --port 0 ARGS...} and waits until it is ready (its database
   * migrated, its job runner up: {@code /health} answers 200).
   */
  static ServiceProcess start(Path dir, String name, List<String> args) throws Exception {
    return start(dir, name, args, Map.of());
  }

  /** As {@link #start(Path, String, List)}, with variables added to (or replacing) the user's. */
  static ServiceProcess start(Path dir, String name, List<String> args, Map<String, String> extra)
      throws Exception {
    ServiceProcess s = startListening(dir, name, args, extra);
    try {
      s.awaitReady(Duration.ofSeconds(60));
    } catch (Throwable e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** Waits until {@code /health} answers 200 (it answers 503 while the service starts). */
  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Response health = send("GET", "/health", null, (String) null);
      if (health.status() == 200) {
        return;
      }
      assertThat(health.status()).as(health.body()).isEqualTo(503);
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError(
            "accretion serve did not get ready: " + health.body() + "\n" + Files.readString(err));
      }
      Thread.sleep(100);
    }
  }

  /** Starts {@code accretion serve --port 0 ARGS...} and waits until it listens. */
  static ServiceProcess startListening(Path dir, String name, List<String> args) throws Exception {
    return startListening(dir, name, args, Map.of());
  }

  /** As {@link #startListening(Path, String, List)}, with variables added to the user's. */
  static ServiceProcess startListening(
      Path dir, String name, List<String> args, Map<String, String> extra) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("serve");
    command.add("--port");
    command.add("0");
    command.addAll(args);
    ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile());
    b.environment().clear();
    b.environment().putAll(env(dir));
    b.environment().putAll(extra);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    b.redirectOutput(out.toFile());
    b.redirectError(err.toFile());
    Process p = b.start();
    Pattern listening = Pattern.compile("serving on (http://[0-9.]+:\\d+)");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(out) ? Files.readString(out) : "";
      Matcher m = listening.matcher(text);
      if (m.find()) {
        return new ServiceProcess(p, URI.create(m.group(1)), out, err);
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            "accretion serve exited with " + p.exitValue() + ":\n" + text + Files.readString(err));
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new AssertionError(
        "accretion serve did not listen within 60 s:\n" + Files.readString(err));
  }

  /** A response: status, content type, body, parsed when JSON. */
  record Response(int status, String contentType, String body, Map<String, List<String>> headers) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  Response send(String method, String path, String token, String body) throws Exception {
    return send(method, path, token, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  Response send(String method, String path, String token, byte[] body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    r.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<String> res = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    res.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
    Response response =
        new Response(
            res.statusCode(),
            res.headers().firstValue("content-type").orElse(""),
            res.body(),
            headers);
    OpenApiCheck.validate(this, method, path, response);
    return response;
  }

  /** A download: the status, the headers and the body's bytes (checked against the document). */
  record Download(int status, String contentType, byte[] body, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  Download download(String path, String token) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET();
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> res = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    res.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
    String type = res.headers().firstValue("content-type").orElse("");
    boolean json = type.contains("json");
    OpenApiCheck.validate(
        this,
        "GET",
        path,
        new Response(
            res.statusCode(),
            type,
            json ? new String(res.body(), StandardCharsets.UTF_8) : "",
            headers));
    return new Download(res.statusCode(), type, res.body(), headers);
  }

  /** Waits until a build has finished and returns it. */
  JsonNode awaitBuild(String id, String token, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode b = null;
    while (System.nanoTime() < deadline) {
      Response r = send("GET", "/api/v1/builds/" + id, token, (String) null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      b = r.json();
      String status = b.get("status").asText();
      if (status.equals("succeeded") || status.equals("failed")) {
        return b;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("build " + id + " did not finish: " + b);
  }

  /** SIGTERM, and the exit code. */
  int terminate() throws Exception {
    process.destroy();
    if (!process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("accretion serve did not stop within 90 s of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
