package dev.accretion.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The resident build process the {@code accretion} launcher hands {@code accretion build} runs to,
 * so a build starts in a JVM whose classes are loaded and whose hot code is already compiled (the
 * way Gradle's daemon and mvnd work).
 *
 * <p>One daemon serves one working directory, one environment, one umask and one CLI jar: the
 * launcher derives a key from all of them and only a client with the same key reaches it, so every
 * path, setting and default resolves exactly as in a fresh process. Builds run one at a time. The
 * daemon listens on a loopback port and answers only requests that carry the token it wrote to its
 * state file, which lives in a directory only the user can open.
 *
 * <p>The wire protocol (text, NUL-terminated fields; the launcher speaks it through bash's {@code
 * /dev/tcp}): the daemon greets with {@code accretion-daemon/1 PID\n}; the client sends {@code
 * accretion-daemon/1}, the token, the key, its working directory, {@code 1} or {@code 0} for a
 * terminal on stderr, a reply directory it created in the state directory, the argument count and
 * the arguments. The daemon streams the build's stderr on the connection, writes its stdout to
 * {@code out} and its exit code to {@code code} in the reply directory, and closes. If the client
 * goes away before that (Ctrl-C), the build is cancelled by ending the daemon: nothing half-done
 * stays behind in a process that would serve the next build.
 */
final class BuildDaemon {
  static final String PROTOCOL = "accretion-daemon/1";
  static final String DIRECTORY_VARIABLE = "ACCRETION_DAEMON_DIR";
  static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);

  /** How long a client may take to send its request once connected. */
  private static final int REQUEST_TIMEOUT_MILLIS = 10_000;

  /** The longest request accepted (arguments of a build are a few hundred bytes). */
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  /** Quiet time after which an idle daemon collects its garbage and shrinks its heap. */
  private static final Duration TRIM_AFTER = Duration.ofSeconds(60);

  /** How long the log of a daemon that is gone is kept. */
  private static final Duration LOGS_KEPT = Duration.ofDays(7);

  private final String key;
  private final Path stateDirectory;
  private final Duration idle;
  private final Map<String, String> env;
  private final Path workingDirectory;
  private final PrintWriter log;
  private final String token = newToken();
  private final long pid = ProcessHandle.current().pid();
  private final Instant started = Instant.now();
  private final ReentrantLock buildLock = new ReentrantLock(true);
  private final Optional<JarStamp> jar = JarStamp.ofRunningJar();
  private volatile long lastActivityNanos = System.nanoTime();
  private boolean trimmed;
  private volatile int builds;
  private volatile Instant lastBuild;

  BuildDaemon(
      String key,
      Path stateDirectory,
      Duration idle,
      Map<String, String> env,
      Path workingDirectory,
      PrintWriter log) {
    this.key = key;
    this.stateDirectory = stateDirectory.toAbsolutePath().normalize();
    this.idle = idle;
    this.env = Map.copyOf(env);
    this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    this.log = log;
  }

  /** Where daemons keep their state files: {@code ACCRETION_DAEMON_DIR}, else XDG state. */
  static Path stateDirectory(Map<String, String> env) {
    String given = env.get(DIRECTORY_VARIABLE);
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    String state = env.get("XDG_STATE_HOME");
    if (state != null && !state.isBlank()) {
      return Path.of(state, "accretion", "daemon");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".local", "state", "accretion", "daemon");
  }

  /** Serves builds until it has been idle for the idle time or the CLI jar changed. */
  int serve() throws IOException {
    Files.createDirectories(stateDirectory);
    removeStaleReplies();
    removeOldLogs();
    Path state = stateDirectory.resolve(key + ".state");
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = server.getLocalPort();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> removeState(state)));
      writeState(state, port);
      log(
          "started: pid %d, port %d, directory %s, idle exit after %s",
          pid, port, workingDirectory, idle);
      server.setSoTimeout((int) Math.min(idle.toMillis(), 30_000));
      while (true) {
        Socket socket;
        try {
          socket = server.accept();
        } catch (SocketTimeoutException e) {
          if (jar.isPresent() && jar.get().changed()) {
            log("the CLI jar changed: exiting");
            return Cli.OK;
          }
          boolean busy = buildLock.isLocked();
          long quiet = System.nanoTime() - lastActivityNanos;
          if (!busy && quiet >= idle.toNanos()) {
            log("idle for %s: exiting after %d builds", idle, builds);
            return Cli.OK;
          }
          if (!busy && !trimmed && quiet >= TRIM_AFTER.toNanos()) {
            // give back the heap a build grew while nobody waits for an answer; the Serial and
            // Parallel collectors shrink the heap in steps (none on the first full collection,
            // all of it by the fourth), so one System.gc() would give back nothing
            long before = Runtime.getRuntime().totalMemory();
            for (int i = 0; i < 4; i++) {
              System.gc();
            }
            log(
                "idle: heap %d MB -> %d MB",
                before >> 20, Runtime.getRuntime().totalMemory() >> 20);
            trimmed = true;
          }
          continue;
        }
        lastActivityNanos = System.nanoTime();
        trimmed = false;
        Thread connection = new Thread(() -> handle(socket, state, port), "daemon-client");
        connection.start();
      }
    } finally {
      removeState(state);
    }
  }

  private void handle(Socket socket, Path state, int port) {
    try (socket) {
      socket.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
      OutputStream raw = socket.getOutputStream();
      raw.write((PROTOCOL + " " + pid + "\n").getBytes(StandardCharsets.UTF_8));
      raw.flush();
      Request request;
      try {
        request = readRequest(socket.getInputStream());
      } catch (RequestException e) {
        log("refused a request: %s", e.getMessage());
        raw.write(
            ("accretion: the build daemon refused the request: " + e.getMessage() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      PrintWriter err = new PrintWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), true);
      if (!buildLock.tryLock()) {
        err.println("accretion: waiting for the build running in the daemon (pid " + pid + ")");
        buildLock.lock();
      }
      try {
        socket.setSoTimeout(0);
        runBuild(socket, request, err, state, port);
      } finally {
        lastActivityNanos = System.nanoTime();
        buildLock.unlock();
      }
    } catch (IOException | RuntimeException e) {
      log("connection failed: %s", e);
    }
  }

  private void runBuild(Socket socket, Request request, PrintWriter err, Path state, int port)
      throws IOException {
    Thread watcher = watchForHangUp(socket, request);
    long t0 = System.nanoTime();
    log("build %d started: %s", builds + 1, String.join(" ", request.arguments()));
    int code;
    boolean unfit = false;
    Path outFile = request.replyDirectory().resolve("out");
    try (Writer file = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8);
        PrintWriter out = new PrintWriter(file)) {
      try {
        code =
            Cli.execute(
                request.arguments().toArray(String[]::new),
                out,
                err,
                env,
                workingDirectory,
                Context.ProgressStyle.detect(request.stderrIsTerminal(), env));
      } catch (RuntimeException e) {
        err.println("accretion: internal error in the build daemon: " + e);
        code = Cli.FAILURE;
      } catch (Error e) {
        // out of memory or worse: this JVM may not be fit for another build
        err.println(
            "accretion: internal error in the build daemon: "
                + e
                + " (the daemon exits; the next build starts a new one)");
        code = Cli.FAILURE;
        unfit = true;
      }
      out.flush();
      if (out.checkError()) {
        err.println("accretion: could not write the build's output to " + outFile);
        code = Cli.FAILURE;
      }
    }
    err.flush();
    Path codeTemp = request.replyDirectory().resolve("code.tmp");
    Files.writeString(codeTemp, code + "\n", StandardCharsets.UTF_8);
    Files.move(codeTemp, request.replyDirectory().resolve("code"), StandardCopyOption.ATOMIC_MOVE);
    request.answered = true;
    watcher.interrupt();
    builds++;
    lastBuild = Instant.now();
    log("build %d: exit %d in %.2f s", builds, code, (System.nanoTime() - t0) / 1e9);
    writeState(state, port);
    if (unfit) {
      log("exiting after a JVM error in build %d", builds);
      socket.close(); // the client has its answer
      System.exit(Cli.FAILURE);
    }
  }

  /**
   * Watches the connection while a build runs: the client sends nothing more, so the read ends only
   * when it goes away. A build whose client went away is cancelled by ending the daemon.
   */
  private Thread watchForHangUp(Socket socket, Request request) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                  // the protocol has nothing after the request; ignore stray bytes
                }
              } catch (IOException e) {
                // reset or closed: the same as end of stream
              }
              if (!request.answered) {
                log("the client went away during a build: cancelling it by exiting");
                System.exit(130);
              }
            },
            "daemon-hangup");
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }

  /** One client request, checked. */
  static final class Request {
    private final List<String> arguments;
    private final Path replyDirectory;
    private final boolean stderrIsTerminal;
    volatile boolean answered;

    Request(List<String> arguments, Path replyDirectory, boolean stderrIsTerminal) {
      this.arguments = List.copyOf(arguments);
      this.replyDirectory = replyDirectory;
      this.stderrIsTerminal = stderrIsTerminal;
    }

    List<String> arguments() {
      return arguments;
    }

    Path replyDirectory() {
      return replyDirectory;
    }

    boolean stderrIsTerminal() {
      return stderrIsTerminal;
    }
  }

  /** A request this daemon does not answer; the message says why. */
  static final class RequestException extends Exception {
    RequestException(String message) {
      super(message);
    }
  }

  private Request readRequest(InputStream in) throws IOException, RequestException {
    FieldReader fields = new FieldReader(in);
    String protocol = fields.next();
    if (!PROTOCOL.equals(protocol)) {
      throw new RequestException("it does not speak " + PROTOCOL);
    }
    String given = fields.next();
    if (!MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      throw new RequestException("wrong token");
    }
    if (!key.equals(fields.next())) {
      throw new RequestException("the request is for another daemon (key differs)");
    }
    Path cwd = Path.of(fields.next());
    if (!Files.isDirectory(cwd) || !Files.isSameFile(cwd, workingDirectory)) {
      throw new RequestException(
          "it serves " + workingDirectory + ", not " + cwd + " (start the client there)");
    }
    boolean terminal = "1".equals(fields.next());
    Path reply = Path.of(fields.next()).toAbsolutePath().normalize();
    if (!stateDirectory.equals(reply.getParent())
        || !reply.getFileName().toString().startsWith("reply.")
        || !Files.isDirectory(reply, LinkOption.NOFOLLOW_LINKS)) {
      throw new RequestException(
          "the reply directory " + reply + " is not a directory in " + stateDirectory);
    }
    int count;
    try {
      count = Integer.parseInt(fields.next());
    } catch (NumberFormatException e) {
      throw new RequestException("the argument count is not a number");
    }
    if (count < 0 || count > 10_000) {
      throw new RequestException("the argument count " + count + " is out of range");
    }
    List<String> args = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      args.add(fields.next());
    }
    return new Request(args, reply, terminal);
  }

  /** Reads NUL-terminated UTF-8 fields, at most {@link #MAX_REQUEST_BYTES} in all. */
  private static final class FieldReader {
    private final InputStream in;
    private int total;

    FieldReader(InputStream in) {
      this.in = in;
    }

    String next() throws IOException, RequestException {
      ByteArrayOutputStream field = new ByteArrayOutputStream();
      while (true) {
        int b;
        try {
          b = in.read();
        } catch (SocketTimeoutException e) {
          throw new RequestException("the request did not arrive in time");
        }
        if (b < 0) {
          throw new RequestException("the request ended early");
        }
        if (++total > MAX_REQUEST_BYTES) {
          throw new RequestException("the request is too long");
        }
        if (b == 0) {
          return field.toString(StandardCharsets.UTF_8);
        }
        field.write(b);
      }
    }
  }

  /**
   * The state file: its first line ({@code PORT TOKEN PID}) is what the launcher reads; the rest is
   * for {@code accretion daemon status}. Written whole and moved into place, owner-only.
   */
  private void writeState(Path state, int port) throws IOException {
    StringBuilder text = new StringBuilder();
    text.append(port).append(' ').append(token).append(' ').append(pid).append('\n');
    text.append("directory=").append(workingDirectory).append('\n');
    text.append("started=").append(started).append('\n');
    text.append("builds=").append(builds).append('\n');
    if (lastBuild != null) {
      text.append("last-build=").append(lastBuild).append('\n');
    }
    Path temp = stateDirectory.resolve(key + ".state.tmp." + pid);
    Files.deleteIfExists(temp);
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    try {
      Files.move(temp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, state, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Removes the state file if it still names this daemon (a newer one may have replaced it). */
  private void removeState(Path state) {
    try {
      List<String> lines = Files.readAllLines(state, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && lines.get(0).endsWith(" " + pid)) {
        Files.deleteIfExists(state);
      }
    } catch (IOException e) {
      // already gone
    }
  }

  /**
   * The log and start lock of daemons gone for a week (each working directory and environment has
   * its own): a daemon's log stays a while after it exits, for the launcher's "see its log".
   */
  private void removeOldLogs() {
    Instant before = Instant.now().minus(LOGS_KEPT);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(stateDirectory, "*.{log,lock}")) {
      for (Path file : entries) {
        String name = file.getFileName().toString();
        String owner = name.substring(0, name.lastIndexOf('.'));
        if (!owner.equals(key)
            && !Files.exists(stateDirectory.resolve(owner + ".state"))
            && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS)
                .toInstant()
                .isBefore(before)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      log("could not remove old logs: %s", e);
    }
  }

  /** Reply directories left by clients that were killed before cleaning up. */
  private void removeStaleReplies() {
    Instant before = Instant.now().minus(Duration.ofHours(1));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(stateDirectory, "reply.*")) {
      for (Path reply : entries) {
        FileTime modified = Files.getLastModifiedTime(reply, LinkOption.NOFOLLOW_LINKS);
        if (modified.toInstant().isBefore(before)) {
          try (DirectoryStream<Path> files = Files.newDirectoryStream(reply)) {
            for (Path f : files) {
              Files.deleteIfExists(f);
            }
          }
          Files.deleteIfExists(reply);
        }
      }
    } catch (IOException e) {
      log("could not remove old reply directories: %s", e);
    }
  }

  private void log(String format, Object... args) {
    synchronized (log) {
      log.printf(java.util.Locale.ROOT, Instant.now() + " " + format + "%n", args);
      log.flush();
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The jar this JVM runs from, as it was at start, to notice a rebuilt CLI. */
  record JarStamp(Path path, FileTime modified, long size) {
    static Optional<JarStamp> ofRunningJar() {
      try {
        Path path =
            Path.of(BuildDaemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(path)) {
          return Optional.empty(); // classes directory (tests)
        }
        return Optional.of(new JarStamp(path, Files.getLastModifiedTime(path), Files.size(path)));
      } catch (Exception e) {
        return Optional.empty();
      }
    }

    boolean changed() {
      try {
        return !Files.getLastModifiedTime(path).equals(modified) || Files.size(path) != size;
      } catch (IOException e) {
        return true;
      }
    }
  }

  /**
   * A daemon as its state file describes it.
   *
   * @param lastBuild when its last build ended, or null if it has served none
   */
  record Described(
      String key,
      Path stateFile,
      int port,
      long pid,
      Path directory,
      Instant started,
      int builds,
      Instant lastBuild) {
    /** Whether the process the file names is still a running daemon. */
    boolean running() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(p -> p.info().commandLine().map(c -> c.contains("internal-daemon")).orElse(true))
          .orElse(false);
    }
  }

  /** Every state file in a state directory, oldest daemon first; unreadable files are skipped. */
  static List<Described> describeAll(Path stateDirectory) throws IOException {
    List<Described> all = new ArrayList<>();
    if (!Files.isDirectory(stateDirectory)) {
      return all;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDirectory, "*.state")) {
      for (Path file : files) {
        describe(file).ifPresent(all::add);
      }
    }
    all.sort(java.util.Comparator.comparing(Described::started).thenComparing(Described::key));
    return all;
  }

  private static Optional<Described> describe(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String[] first = lines.get(0).split(" ");
      Map<String, String> fields = new java.util.HashMap<>();
      for (String line : lines.subList(1, lines.size())) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      String name = file.getFileName().toString();
      return Optional.of(
          new Described(
              name.substring(0, name.length() - ".state".length()),
              file,
              Integer.parseInt(first[0]),
              Long.parseLong(first[2]),
              Path.of(fields.getOrDefault("directory", "?")),
              Instant.parse(fields.get("started")),
              Integer.parseInt(fields.getOrDefault("builds", "0")),
              fields.containsKey("last-build") ? Instant.parse(fields.get("last-build")) : null));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Waits for a process to end; used by {@code accretion daemon stop}. */
  static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return !process.isAlive();
    }
  }
}
