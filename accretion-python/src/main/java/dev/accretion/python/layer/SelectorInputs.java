package dev.accretion.python.layer;

import dev.accretion.core.BuilderVersion;
import dev.accretion.core.cache.SelectorKey;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.PackageName;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.lock.Locker;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The selector key of a layer build: everything that can change its output, hashed without
 * resolving anything. Fields, in this order: the key format, the builder version, the listing's
 * absolute path, format and bytes, the bytes of every requirements file it includes ({@code
 * -r}/{@code -c}, followed recursively) and the values of the {@code ${VAR}} it uses, extras and
 * groups, the targets (sorted), the layer name and every layout option, and the effective index
 * configuration (index and find-links URLs without credentials, no-index, strategy, pre-releases).
 */
final class SelectorInputs {
  private static final Pattern INCLUDE =
      Pattern.compile(
          "^\\s*(?:-r|--requirement|-c|--constraint)(?:\\s*=\\s*|\\s+)(\\S+)", Pattern.MULTILINE);
  private static final Pattern ENV_VAR = Pattern.compile("\\$\\{([A-Z0-9_]+)\\}");

  private SelectorInputs() {}

  static SelectorKey key(
      LayerBuildRequest request, Locker locker, List<Target> targets, String name) {
    SelectorKey.Builder key = SelectorKey.builder();
    key.add("kind", "accretion-python-layer/1");
    key.add("builder", BuilderVersion.get());
    key.add("listing.path", locker.listing().toString());
    key.add("listing.format", locker.format().cliName());
    byte[] listing = locker.listingBytes();
    key.add("listing.bytes", listing);
    Set<String> variables = new TreeSet<>();
    collectVariables(listing, variables);
    if (locker.format() == ListingFormat.REQUIREMENTS) {
      Set<Path> seen = new LinkedHashSet<>();
      seen.add(locker.listing());
      includes(locker.listing(), listing, seen, key, variables);
    }
    for (String v : variables) {
      String value = request.locker().env().get(v);
      key.add("env." + v, value == null ? "\0unset" : value);
    }
    key.add("extras", String.join(",", new TreeSet<>(request.locker().extras())));
    key.add("groups", String.join(",", new TreeSet<>(request.locker().groups())));
    List<String> t = new ArrayList<>();
    for (Target target : targets) {
      t.add(target.toString());
    }
    key.add("targets", String.join(",", t));
    key.add("name", name);
    for (Map.Entry<String, Object> option : options(request).entrySet()) {
      key.add("option." + option.getKey(), String.valueOf(option.getValue()));
    }
    List<String> indexes = new ArrayList<>();
    for (URI u : locker.client().indexes()) {
      indexes.add(u.toString());
    }
    List<String> findLinks = new ArrayList<>();
    for (URI u : locker.client().findLinks()) {
      findLinks.add(u.toString());
    }
    key.add("index.urls", String.join(" ", indexes));
    key.add("index.findLinks", String.join(" ", findLinks));
    key.add("index.noIndex", Boolean.toString(locker.configuration().noIndex()));
    key.add("index.strategy", request.locker().strategy().toString());
    key.add("index.pre", Boolean.toString(request.locker().pre()));
    return key.build();
  }

  /** The options that shape the layer, as the beside manifest records them. */
  static Map<String, Object> options(LayerBuildRequest request) {
    Map<String, Object> m = new TreeMap<>();
    m.put("layout", request.layout().cliName());
    m.put("scripts", request.scripts());
    List<String> excludes = new ArrayList<>();
    for (String x : new TreeSet<>(request.excludes())) {
      excludes.add(PackageName.normalize(x.strip()));
    }
    m.put("exclude", List.copyOf(new TreeSet<>(excludes)));
    m.put("slim", request.slimming().slim());
    m.put("slimPatterns", List.copyOf(new TreeSet<>(request.slimming().patterns())));
    m.put("reserveBytes", request.reserveBytes());
    m.put("allowBadRecord", request.allowBadRecord());
    return m;
  }

  private static void includes(
      Path file, byte[] bytes, Set<Path> seen, SelectorKey.Builder key, Set<String> variables) {
    Matcher m = INCLUDE.matcher(new String(bytes, StandardCharsets.UTF_8));
    while (m.find()) {
      String target = m.group(1);
      if (target.matches("(?i)^(https?|file):.*")) {
        key.add("include.url", target);
        continue;
      }
      Path included = file.getParent().resolve(target).normalize();
      if (!seen.add(included)) {
        continue;
      }
      byte[] content;
      try {
        content = Files.readAllBytes(included);
      } catch (IOException e) {
        content =
            ("\0unreadable: " + e.getClass().getSimpleName()).getBytes(StandardCharsets.UTF_8);
      }
      key.add("include:" + included, content);
      collectVariables(content, variables);
      includes(included, content, seen, key, variables);
    }
  }

  private static void collectVariables(byte[] bytes, Set<String> into) {
    Matcher m = ENV_VAR.matcher(new String(bytes, StandardCharsets.UTF_8));
    while (m.find()) {
      into.add(m.group(1));
    }
  }
}
