package dev.accretion.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counts and latencies, build durations; written in the Prometheus text format. */
final class Metrics {
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
  private final Histogram builds = new Histogram(new double[] {1, 5, 10, 30, 60, 120, 300, 600});
  private final Map<String, LongAdder> buildResults = new ConcurrentHashMap<>();

  private static final class Histogram {
    final double[] bounds;
    final LongAdder[] counts;
    final LongAdder count = new LongAdder();
    final java.util.concurrent.atomic.DoubleAdder sum =
        new java.util.concurrent.atomic.DoubleAdder();

    Histogram(double[] bounds) {
      this.bounds = bounds;
      this.counts = new LongAdder[bounds.length];
      for (int i = 0; i < bounds.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      for (int i = 0; i < bounds.length; i++) {
        if (seconds <= bounds[i]) {
          counts[i].increment();
        }
      }
      count.increment();
      sum.add(seconds);
    }

    void write(StringBuilder b, String name, String labels) {
      String sep = labels.isEmpty() ? "" : labels + ",";
      for (int i = 0; i < bounds.length; i++) {
        b.append(name)
            .append("_bucket{")
            .append(sep)
            .append("le=\"")
            .append(bounds[i])
            .append("\"} ")
            .append(counts[i].sum())
            .append('\n');
      }
      b.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(count.sum());
      b.append('\n');
      String l = labels.isEmpty() ? "" : "{" + labels + "}";
      b.append(name).append("_sum").append(l).append(' ').append(sum.sum()).append('\n');
      b.append(name).append("_count").append(l).append(' ').append(count.sum()).append('\n');
    }
  }

  void request(String method, String route, int status, long nanos) {
    String key = "method=\"" + method + "\",route=\"" + label(route) + "\"";
    requests.computeIfAbsent(key + ",status=\"" + status + "\"", k -> new LongAdder()).increment();
    latencies.computeIfAbsent(key, k -> new Histogram(BUCKETS)).observe(nanos / 1e9);
  }

  void build(boolean ok, long nanos) {
    buildResults.computeIfAbsent(ok ? "succeeded" : "failed", k -> new LongAdder()).increment();
    builds.observe(nanos / 1e9);
  }

  String text(Map<String, Long> jobsByStatus) {
    StringBuilder b = new StringBuilder();
    b.append("# HELP accretion_http_requests_total HTTP requests by method, route and status.\n");
    b.append("# TYPE accretion_http_requests_total counter\n");
    new TreeMap<>(requests)
        .forEach(
            (k, v) ->
                b.append("accretion_http_requests_total{")
                    .append(k)
                    .append("} ")
                    .append(v.sum())
                    .append('\n'));
    b.append("# HELP accretion_http_request_duration_seconds HTTP request latency.\n");
    b.append("# TYPE accretion_http_request_duration_seconds histogram\n");
    new TreeMap<>(latencies)
        .forEach((k, h) -> h.write(b, "accretion_http_request_duration_seconds", k));
    b.append("# HELP accretion_builds Builds in the database by status.\n");
    b.append("# TYPE accretion_builds gauge\n");
    for (String s : new String[] {"queued", "running", "succeeded", "failed"}) {
      b.append("accretion_builds{status=\"")
          .append(s)
          .append("\"} ")
          .append(jobsByStatus.getOrDefault(s, 0L))
          .append('\n');
    }
    b.append(
        "# HELP accretion_build_duration_seconds Build and publish durations on this instance.\n");
    b.append("# TYPE accretion_build_duration_seconds histogram\n");
    builds.write(b, "accretion_build_duration_seconds", "");
    return b.toString();
  }

  private static String label(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
