package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build daemon as a user meets it: {@code ./accretion build} through the real launcher, which
 * starts the daemon on the first build and hands it later ones over bash's {@code /dev/tcp}.
 */
class DaemonIT {
  private static final Path LAUNCHER = Path.of("..", "accretion").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private Path daemons;
  private String indexUrl;

  /** What one launcher run printed. */
  record Run(int code, String out, String err) {}

  @BeforeEach
  void index() throws IOException {
    daemons = temp.resolve("daemons");
    SimpleIndexBuilder index = new SimpleIndexBuilder(temp.resolve("index"));
    index.add(
        WheelBuilder.wheel("alpha", "2.0").file("alpha/__init__.py", "A = 2\n").requires("mid"));
    index.add(WheelBuilder.wheel("mid", "0.5").file("mid.py", "M = 5\n"));
    indexUrl = index.url();
  }

  /** State directories other than {@link #daemons} a test made daemons in. */
  private final List<Path> otherStateDirs = new ArrayList<>();

  @AfterEach
  void stopDaemons() throws Exception {
    List<Path> dirs = new ArrayList<>(otherStateDirs);
    dirs.add(daemons);
    for (Path dir : dirs) {
      for (BuildDaemon.Described d : BuildDaemon.describeAll(dir)) {
        ProcessHandle.of(d.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private Path project(String name, String requirements) throws IOException {
    Path dir = Files.createDirectories(temp.resolve(name));
    Files.writeString(dir.resolve("requirements.txt"), requirements);
    return dir;
  }

  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("ACCRETION_DAEMON_DIR", daemons.toString());
    env.put("ACCRETION_NO_AOT", "1"); // no ahead-of-time training run in tests
    env.put("PIP_CONFIG_FILE", "/dev/null");
    env.put("ACCRETION_CACHE_DIR", temp.resolve("cache").toString());
    env.putAll(extra);
    return env;
  }

  private Process start(Path cwd, Map<String, String> extra, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().remove("ACCRETION_DAEMON");
    pb.environment().putAll(env(extra));
    // an empty value in extra means: not set at all
    extra.forEach(
        (k, v) -> {
          if (v.isEmpty()) {
            pb.environment().remove(k);
          }
        });
    String name = "run-" + System.nanoTime();
    pb.redirectOutput(temp.resolve(name + ".out").toFile());
    pb.redirectError(temp.resolve(name + ".err").toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    names.put(p, name);
    return p;
  }

  private final Map<Process, String> names = new java.util.concurrent.ConcurrentHashMap<>();

  private Run finish(Process p) throws Exception {
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    String name = names.get(p);
    return new Run(
        p.exitValue(),
        Files.readString(temp.resolve(name + ".out")),
        Files.readString(temp.resolve(name + ".err")));
  }

  private Run run(Path cwd, Map<String, String> extra, String... args) throws Exception {
    return finish(start(cwd, extra, args));
  }

  private String[] build(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "build", "requirements.txt", "--runtime", "python3.11", "--index-url", indexUrl));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private List<BuildDaemon.Described> running() throws IOException {
    return BuildDaemon.describeAll(daemons).stream()
        .filter(BuildDaemon.Described::running)
        .toList();
  }

  private String log(BuildDaemon.Described d) throws IOException {
    return Files.readString(daemons.resolve(d.key() + ".log"));
  }

  @Test
  void builds_runInOneDaemonPerDirectoryAndEnvironment_withAFreshProcessesBytesAndOutput()
      throws Exception {
    Path one = project("one", "alpha\n");
    Run first = run(one, Map.of(), build("--output", "a", "--json"));
    assertThat(first.code()).as(first.err()).isZero();
    List<BuildDaemon.Described> after = running();
    assertThat(after).hasSize(1);
    BuildDaemon.Described daemon = after.get(0);
    assertThat(daemon.directory()).isEqualTo(one.toRealPath());
    assertThat(daemon.builds()).isEqualTo(1);
    assertThat(Files.readString(daemon.stateFile()).lines().findFirst().orElseThrow())
        .as("the state file's first line: port, token, pid")
        .matches("\\d+ [0-9a-f]{64} " + daemon.pid());
    assertThat(Files.getPosixFilePermissions(daemon.stateFile()))
        .containsOnly(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

    // a second build in the same place and environment: the same daemon serves it
    Run second = run(one, Map.of(), build("--output", "b", "--json"));
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(running())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.pid()).isEqualTo(daemon.pid());
              assertThat(d.builds()).isEqualTo(2);
            });
    // relative paths resolve against the client's directory
    assertThat(one.resolve("b")).isDirectory();

    // a fresh process (ACCRETION_DAEMON=off) gives the same bytes and the same document
    Run fresh =
        run(
            one,
            Map.of("ACCRETION_DAEMON", "off", "ACCRETION_CACHE_DIR", temp.resolve("c2").toString()),
            build("--output", "c", "--json"));
    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(running()).singleElement().satisfies(d -> assertThat(d.builds()).isEqualTo(2));
    JsonNode viaDaemon = JSON.readTree(first.out().replace("/a/", "/x/"));
    JsonNode inProcess = JSON.readTree(fresh.out().replace("/c/", "/x/"));
    assertThat(viaDaemon).isEqualTo(inProcess);
    try (Stream<Path> zips = Files.list(one.resolve("a"))) {
      for (Path zip : zips.filter(z -> z.toString().endsWith(".zip")).toList()) {
        assertThat(Files.readAllBytes(zip))
            .as(zip.getFileName().toString())
            .isEqualTo(Files.readAllBytes(one.resolve("c").resolve(zip.getFileName())));
      }
    }
    assertThat(first.err().replaceAll("\\d+ ms", "N ms"))
        .isEqualTo(fresh.err().replaceAll("\\d+ ms", "N ms"));

    // another directory, or another environment, gets a daemon of its own
    Path two = project("two", "mid\n");
    assertThat(run(two, Map.of(), build()).code()).isZero();
    assertThat(run(one, Map.of("SOME_SETTING", "1"), build()).code()).isZero();
    List<BuildDaemon.Described> all = running();
    assertThat(all).hasSize(3);
    assertThat(all.stream().map(BuildDaemon.Described::directory))
        .containsExactlyInAnyOrder(one.toRealPath(), one.toRealPath(), two.toRealPath());

    // `daemon status` lists them; `daemon stop` ends them all
    Run status = run(one, Map.of(), "daemon", "status", "--json");
    assertThat(status.code()).as(status.err()).isZero();
    JsonNode listed = JSON.readTree(status.out()).get("daemons");
    assertThat(listed).hasSize(3);
    Run stop = run(one, Map.of(), "daemon", "stop");
    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(stop.out()).contains("Stopped the build daemon " + daemon.pid());
    for (BuildDaemon.Described d : all) {
      assertThat(ProcessHandle.of(d.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("daemon %d stopped", d.pid())
          .isFalse();
      assertThat(d.stateFile()).doesNotExist();
    }
  }

  @Test
  void withoutADaemonDirectory_theLauncherAndDaemonStatusUseTheSameDefault() throws Exception {
    Path one = project("one", "alpha\n");
    Path xdg = temp.resolve("xdg-state");
    Path home = Files.createDirectories(temp.resolve("home"));
    Map<String, String> viaXdg =
        Map.of("ACCRETION_DAEMON_DIR", "", "XDG_STATE_HOME", xdg.toString());
    Map<String, String> viaHome =
        Map.of("ACCRETION_DAEMON_DIR", "", "XDG_STATE_HOME", "", "HOME", home.toString());
    Path xdgDir = xdg.resolve("accretion/daemon");
    Path homeDir = home.resolve(".local/state/accretion/daemon");
    otherStateDirs.add(xdgDir);
    otherStateDirs.add(homeDir);
    for (Map<String, String> env : List.of(viaXdg, viaHome)) {
      Path expected = env == viaXdg ? xdgDir : homeDir;
      Run built = run(one, env, build());
      assertThat(built.code()).as(built.err()).isZero();
      assertThat(BuildDaemon.describeAll(expected)).as("state files in %s", expected).hasSize(1);
      assertThat(java.nio.file.Files.getPosixFilePermissions(expected))
          .containsOnly(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
              java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
      Run status = run(one, env, "daemon", "status", "--json");
      assertThat(status.code()).as(status.err()).isZero();
      JsonNode doc = JSON.readTree(status.out());
      assertThat(doc.get("stateDirectory").asText()).isEqualTo(expected.toString());
      assertThat(doc.get("daemons")).hasSize(1);
    }
    assertThat(running()).as("nothing in ACCRETION_DAEMON_DIR's folder").isEmpty();
  }

  @Test
  void failures_keepTheirExitCodeAndMessage() throws Exception {
    Path one = project("one", "alpha\n");
    Run missing = run(one, Map.of(), "build", "nothing-here.txt", "--runtime", "python3.11");
    Run usage = run(one, Map.of(), "build", "requirements.txt", "--no-such-option");
    Run freshMissing =
        run(
            one,
            Map.of("ACCRETION_DAEMON", "off"),
            "build",
            "nothing-here.txt",
            "--runtime",
            "python3.11");
    assertThat(running()).singleElement().satisfies(d -> assertThat(d.builds()).isEqualTo(2));
    assertThat(missing.code()).isEqualTo(freshMissing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo(freshMissing.err()).contains("nothing-here.txt");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("--no-such-option").contains("accretion build --help");
  }

  @Test
  void lock_runsInTheDaemonToo_writingWhatAFreshProcessWrites() throws Exception {
    Path one = project("one", "alpha\n");
    String[] lock = {
      "lock", "requirements.txt", "--runtime", "python3.11", "--index-url", indexUrl, "--output"
    };
    Run viaDaemon = run(one, Map.of(), concat(lock, "daemon.toml"));
    assertThat(viaDaemon.code()).as(viaDaemon.err()).isZero();
    assertThat(running()).singleElement().satisfies(d -> assertThat(d.builds()).isEqualTo(1));
    Run fresh = run(one, Map.of("ACCRETION_DAEMON", "off"), concat(lock, "fresh.toml"));
    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(Files.readString(one.resolve("daemon.toml")))
        .contains("name = \"alpha\"")
        .isEqualTo(Files.readString(one.resolve("fresh.toml")));
    assertThat(viaDaemon.out().replace("daemon.toml", "fresh.toml").replaceAll("\\d+ ms", "N ms"))
        .isEqualTo(fresh.out().replaceAll("\\d+ ms", "N ms"));
  }

  private static String[] concat(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void offSwitch_buildsInThisProcessAndStartsNoDaemon() throws Exception {
    Path one = project("one", "alpha\n");
    Run fresh = run(one, Map.of("ACCRETION_DAEMON", "off"), build());
    assertThat(fresh.code()).as(fresh.err()).isZero();
    assertThat(running()).isEmpty();
    // other commands than build and lock never go to a daemon
    assertThat(run(one, Map.of(), "runtimes").code()).isZero();
    assertThat(running()).isEmpty();
  }

  @Test
  void concurrentBuilds_shareOneDaemonAndRunOneAtATime() throws Exception {
    Path one = project("one", "alpha\n");
    Process a = start(one, Map.of(), build("--output", "a"));
    Process b = start(one, Map.of(), build("--output", "b", "--cache-dir", "other-cache"));
    Run ra = finish(a);
    Run rb = finish(b);
    assertThat(ra.code()).as(ra.err()).isZero();
    assertThat(rb.code()).as(rb.err()).isZero();
    BuildDaemon.Described daemon = running().get(0);
    assertThat(running()).hasSize(1);
    assertThat(daemon.builds()).isEqualTo(2);
    // one at a time: each build's start is logged after the one before ended
    List<String> events =
        log(daemon)
            .lines()
            .filter(l -> l.contains(" build "))
            .map(l -> l.split(" ", 2)[1])
            .toList();
    assertThat(events)
        .hasSize(4)
        .satisfies(
            e -> {
              assertThat(e.get(0)).startsWith("build 1 started");
              assertThat(e.get(1)).startsWith("build 1: exit 0");
              assertThat(e.get(2)).startsWith("build 2 started");
              assertThat(e.get(3)).startsWith("build 2: exit 0");
            });
  }

  @Test
  void aRequestWithoutTheToken_isRefusedAndBuildsNothing() throws Exception {
    Path one = project("one", "alpha\n");
    assertThat(run(one, Map.of(), build()).code()).isZero();
    BuildDaemon.Described daemon = running().get(0);
    Path reply = Files.createDirectory(daemons.resolve("reply.test"));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), daemon.port())) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String request =
          String.join(
                  "\0",
                  "accretion-daemon/1",
                  "0".repeat(64),
                  daemon.key(),
                  one.toString(),
                  "0",
                  reply.toString(),
                  "3",
                  "build",
                  "requirements.txt",
                  "--runtime")
              + "\0";
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer)
          .startsWith("accretion-daemon/1 " + daemon.pid() + "\n")
          .contains("refused the request: wrong token");
    }
    try (Stream<Path> files = Files.list(reply)) {
      assertThat(files).as("nothing written for a refused request").isEmpty();
    }
    assertThat(running()).singleElement().satisfies(d -> assertThat(d.builds()).isEqualTo(1));
  }

  @Test
  void aClientThatGoesAway_cancelsItsBuildByEndingTheDaemon() throws Exception {
    Path one = project("one", "alpha\n");
    assertThat(run(one, Map.of(), build()).code()).isZero();
    BuildDaemon.Described daemon = running().get(0);
    // an index that accepts connections and never answers: the next build waits on it
    try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CountDownLatch asked = new CountDownLatch(1);
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(stalled.accept());
                    asked.countDown();
                  }
                } catch (IOException e) {
                  // closed at the end of the test
                }
              });
      acceptor.start();
      Process client =
          start(
              one,
              Map.of(),
              "build",
              "requirements.txt",
              "--runtime",
              "python3.11",
              "--index-url",
              "http://127.0.0.1:" + stalled.getLocalPort() + "/simple/",
              "--refresh");
      assertThat(asked.await(120, TimeUnit.SECONDS)).as("the build reached the index").isTrue();
      client.destroy(); // SIGTERM to the launcher, as a CI job's cancel would send
      assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
      ProcessHandle process = ProcessHandle.of(daemon.pid()).orElseThrow();
      assertThat(process.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      assertThat(daemon.stateFile()).doesNotExist();
      assertThat(log(daemon)).contains("the client went away during a build");
      for (Socket s : held) {
        s.close();
      }
    }
    // the next build starts a new daemon
    Run next = run(one, Map.of(), build());
    assertThat(next.code()).as(next.err()).isZero();
    assertThat(running())
        .singleElement()
        .satisfies(d -> assertThat(d.pid()).isNotEqualTo(daemon.pid()));
  }

  @Test
  void aDaemonKilledHard_leavesAStateFileThatIsCleanedOrReplaced() throws Exception {
    Path one = project("one", "alpha\n");
    assertThat(run(one, Map.of(), build()).code()).isZero();
    BuildDaemon.Described first = running().get(0);
    ProcessHandle process = ProcessHandle.of(first.pid()).orElseThrow();
    process.destroyForcibly(); // SIGKILL: no shutdown hook runs
    process.onExit().get(30, TimeUnit.SECONDS);
    assertThat(first.stateFile()).as("left behind by the killed daemon").exists();

    // the next build notices, starts a new daemon and builds in it
    Run next = run(one, Map.of(), build());
    assertThat(next.code()).as(next.err()).isZero();
    assertThat(next.err()).doesNotContain("did not start");
    BuildDaemon.Described second = running().get(0);
    assertThat(second.pid()).isNotEqualTo(first.pid());
    assertThat(second.builds()).isEqualTo(1);

    // `daemon stop` removes a dead daemon's state file and stops the live one
    ProcessHandle killed = ProcessHandle.of(second.pid()).orElseThrow();
    killed.destroyForcibly();
    killed.onExit().get(30, TimeUnit.SECONDS);
    Run stop = run(one, Map.of(), "daemon", "stop");
    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(stop.out()).contains("No build daemon was running.");
    assertThat(second.stateFile()).doesNotExist();
  }

  @Test
  void anIdleDaemon_exitsAndRemovesItsStateFile() throws Exception {
    Path one = project("one", "alpha\n");
    // what daemons gone for more than a week left: removed when a daemon starts
    Files.createDirectories(daemons);
    java.nio.file.attribute.FileTime old =
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(java.time.Duration.ofDays(8)));
    Path oldLog = Files.writeString(daemons.resolve("0123456789abcdef.log"), "old");
    Path oldLock = Files.writeString(daemons.resolve("0123456789abcdef.lock"), "");
    Path recentLog = Files.writeString(daemons.resolve("fedcba9876543210.log"), "recent");
    Files.setLastModifiedTime(oldLog, old);
    Files.setLastModifiedTime(oldLock, old);
    Map<String, String> quick = Map.of("ACCRETION_DAEMON_IDLE", "1");
    assertThat(run(one, quick, build()).code()).isZero();
    BuildDaemon.Described daemon = BuildDaemon.describeAll(daemons).get(0);
    ProcessHandle process = ProcessHandle.of(daemon.pid()).orElseThrow();
    assertThat(process.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(daemon.stateFile()).doesNotExist();
    assertThat(log(daemon)).contains("idle for PT1S: exiting after 1 builds");
    assertThat(oldLog).doesNotExist();
    assertThat(oldLock).doesNotExist();
    assertThat(recentLog).exists();
  }
}
