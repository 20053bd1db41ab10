package dev.accretion.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Wall time of publishing one new layer version to 1 region and to 8 regions against moto (the
 * issue's goal: 8 regions within 1.5x the time of 1). Not a test: run it with the test classpath,
 * e.g. from a bench script. Uses {@code ACCRETION_TEST_MOTO_ENDPOINT} or starts moto itself. Prints
 * one line per measurement and the median ratio. With {@code -Dmoto.pid=PID} (Linux) it also prints
 * the CPU time the moto process spent on each measurement, which shows when moto, not the
 * publisher, is the bottleneck.
 */
public final class PublishBench {
  private static final List<String> EIGHT =
      List.of(
          "us-east-1",
          "us-west-2",
          "eu-west-1",
          "eu-central-1",
          "ap-southeast-1",
          "ap-northeast-1",
          "sa-east-1",
          "ca-central-1");

  private PublishBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    // optional: milliseconds of simulated network latency per request (a proxy in front of moto)
    long latency = args.length > 1 ? Long.parseLong(args[1]) : 0;
    FaultProxy proxy = null;
    AwsSettings settings = MotoServer.settings();
    if (latency > 0) {
      proxy = new FaultProxy(MotoServer.endpoint());
      proxy.when(s -> true, Integer.MAX_VALUE, new FaultProxy.Delay(latency));
      settings = settings.withEndpointOverride(proxy.endpoint());
    }
    Path dir = Files.createTempDirectory("accretion-bench");
    long[] one = new long[rounds];
    long[] eight = new long[rounds];
    long[] oneCpu = new long[rounds];
    long[] eightCpu = new long[rounds];
    long[] oneJvm = new long[rounds];
    long[] eightJvm = new long[rounds];
    try (LayerPublisher publisher = new LayerPublisher(settings)) {
      // warm up the JVM, the clients and moto's backends for every region
      run(publisher, dir, "warmup", EIGHT, 0);
      for (int i = 0; i < rounds; i++) {
        long cpu0 = motoCpuMillis();
        long jvm0 = jvmCpuMillis();
        one[i] = run(publisher, dir, "bench1", List.of("us-east-1"), i + 1);
        long cpu1 = motoCpuMillis();
        long jvm1 = jvmCpuMillis();
        eight[i] = run(publisher, dir, "bench8", EIGHT, i + 1);
        long cpu2 = motoCpuMillis();
        long jvm2 = jvmCpuMillis();
        oneCpu[i] = cpu1 - cpu0;
        eightCpu[i] = cpu2 - cpu1;
        oneJvm[i] = jvm1 - jvm0;
        eightJvm[i] = jvm2 - jvm1;
        System.out.printf(
            "round %d: 1 region %d ms, 8 regions %d ms (JVM CPU %d ms, %d ms%s)%n",
            i + 1,
            one[i],
            eight[i],
            oneJvm[i],
            eightJvm[i],
            cpu0 < 0 ? "" : "; moto CPU " + oneCpu[i] + " ms, " + eightCpu[i] + " ms");
      }
    }
    java.util.Arrays.sort(one);
    java.util.Arrays.sort(eight);
    long m1 = one[rounds / 2];
    long m8 = eight[rounds / 2];
    System.out.printf(
        "median: 1 region %d ms, 8 regions %d ms, ratio %.2f%n", m1, m8, (double) m8 / m1);
    java.util.Arrays.sort(oneJvm);
    java.util.Arrays.sort(eightJvm);
    System.out.printf(
        "median JVM CPU (publisher, SDK%s): 1 region %d ms, 8 regions %d ms%n",
        latency > 0 ? ", proxy" : "", oneJvm[rounds / 2], eightJvm[rounds / 2]);
    if (motoCpuMillis() >= 0) {
      java.util.Arrays.sort(oneCpu);
      java.util.Arrays.sort(eightCpu);
      System.out.printf(
          "median moto CPU: 1 region %d ms, 8 regions %d ms%n",
          oneCpu[rounds / 2], eightCpu[rounds / 2]);
    }
    System.exit(0);
  }

  /** CPU time (user + system) of this JVM so far. */
  private static long jvmCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1_000_000;
  }

  /** CPU time (user + system) of the moto process so far, or -1 when unknown. */
  private static long motoCpuMillis() {
    String pid = System.getProperty("moto.pid");
    if (pid == null) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // fields after the ")" that ends the command name: utime and stime are the 12th and 13th
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long run(
      LayerPublisher publisher, Path dir, String prefix, List<String> regions, int n)
      throws Exception {
    String layer = prefix + "-" + ProcessHandle.current().pid();
    TestLayers.Artifact a =
        TestLayers.build(dir, layer, Map.of("requests", "2.32." + n, "padding", "1.0." + n));
    long start = System.nanoTime();
    PublishResult r =
        publisher.publish(TestLayers.request(layer, a, regions), PublishListener.NONE);
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (!r.ok() || r.regions().stream().anyMatch(x -> !x.published())) {
      throw new IllegalStateException("bench publish failed: " + r);
    }
    return ms;
  }
}
