package dev.accretion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * One cold start of the JSON read every CLI command does first: the runtime matrix ({@code
 * runtimes.json}, 8 KB) parsed once in a fresh JVM, with the JDK-only reader of core ({@code core})
 * or Jackson's tree model ({@code jackson}). Prints the milliseconds from {@code main} to the
 * parsed tree, class loading and initialization included, which is what a short CLI process pays.
 * Run by {@code bench/json-startup.sh}, one JVM per measurement.
 */
public final class JsonStartupBench {
  private JsonStartupBench() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    String text;
    try (InputStream in =
        Json.class.getResourceAsStream("/dev/accretion/core/runtime/runtimes.json")) {
      if (in == null) {
        throw new IOException("runtimes.json is not on the class path");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    long read = System.nanoTime();
    int size;
    switch (args[0]) {
      case "core" -> {
        Json.Node root = Json.parse(text);
        size = ((java.util.Map<?, ?>) root.value()).size();
      }
      case "jackson" -> {
        JsonNode root = new ObjectMapper().readTree(text);
        size = root.size();
      }
      default -> throw new IllegalArgumentException("core or jackson, not " + args[0]);
    }
    long parsed = System.nanoTime();
    System.out.printf(
        java.util.Locale.ROOT,
        "%s %.2f %.2f %d%n",
        args[0],
        (parsed - read) / 1e6,
        (parsed - start) / 1e6,
        size);
  }
}
