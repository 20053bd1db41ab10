package dev.accretion.python.layer;

import dev.accretion.core.AccretionException;
import dev.accretion.core.BuilderVersion;
import dev.accretion.core.cache.SelectorKey;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.PackageName;
import dev.accretion.python.index.PipConfiguration;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.lock.Locker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * groups, the targets (sorted), the layer name and every layout option, pip's configuration as
 * loaded and the command line's index options (with the listing's own options, in its bytes, they
 * make the effective index configuration), the working directory, strategy and pre-releases.
 */
final class SelectorInputs {
  private static final Pattern INCLUDE =
      Pattern.compile(
          "^\\s*(?:-r|--requirement|-c|--constraint)(?:\\s*=\\s*|\\s+)(\\S+)", Pattern.MULTILINE);
  private static final Pattern ENV_VAR = Pattern.compile("\\$\\{([A-Z0-9_]+)\\}");

  private SelectorInputs() {}

  /** What the key was computed from, for the build to reuse. */
  record Inputs(SelectorKey key, String name, ListingFormat format, byte[] listingBytes) {}

  /**
   * Computes the key without opening the listing's indexes (no HTTP client, no TLS set-up): from
   * the listing's bytes, pip's configuration as loaded (before the listing's own index options,
   * which are part of the listing's bytes) and the command-line overrides. Empty when the listing
   * or the configuration cannot be read; the build then reports the problem.
   */
  static Optional<Inputs> compute(LayerBuildRequest request, List<Target> targets) {
    Path listing = request.listing().toAbsolutePath().normalize();
    byte[] bytes;
    ListingFormat format;
    PipConfiguration pip;
    try {
      bytes = Files.readAllBytes(listing);
      format =
          request.locker().format() != null
              ? request.locker().format()
              : ListingFormat.detect(listing);
      pip = PipConfiguration.load(request.locker().env(), request.locker().home());
    } catch (IOException | AccretionException e) {
      return Optional.empty();
    }
    String name = request.name() != null ? request.name() : LayerNames.defaultName(listing, format);
    return Optional.of(
        new Inputs(key(request, listing, format, bytes, pip, targets, name), name, format, bytes));
  }

  static SelectorKey key(
      LayerBuildRequest request,
      Path listing,
      ListingFormat format,
      byte[] bytes,
      PipConfiguration pip,
      List<Target> targets,
      String name) {
    SelectorKey.Builder key = SelectorKey.builder();
    key.add("kind", "accretion-python-layer/1");
    key.add("builder", BuilderVersion.get());
    key.add("listing.path", listing.toString());
    key.add("listing.format", format.cliName());
    key.add("listing.bytes", bytes);
    Set<String> variables = new TreeSet<>();
    collectVariables(bytes, variables);
    if (format == ListingFormat.REQUIREMENTS) {
      Set<Path> seen = new LinkedHashSet<>();
      seen.add(listing);
      includes(listing, bytes, seen, key, variables);
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
    // pip's configuration, then the command line's overrides: together with the listing's own
    // options (in its bytes) they determine the effective indexes.
    key.add("pip.indexUrl", String.valueOf(pip.indexUrl()));
    key.add("pip.extraIndexUrls", String.join(" ", pip.extraIndexUrls()));
    key.add("pip.findLinks", String.join(" ", pip.findLinks()));
    key.add("pip.noIndex", Boolean.toString(pip.noIndex()));
    Locker.IndexOverrides cli = request.locker().overrides();
    key.add("cli.indexUrl", String.valueOf(cli.indexUrl()));
    key.add("cli.extraIndexUrls", String.join(" ", cli.extraIndexUrls()));
    key.add("cli.findLinks", String.join(" ", cli.findLinks()));
    key.add("cli.noIndex", Boolean.toString(cli.noIndex()));
    // relative find-links locations are read from the working directory
    key.add("workingDirectory", request.locker().workingDirectory().toString());
    key.add("index.strategy", request.locker().strategy().cliName());
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
