package dev.accretion.python.builder;

import dev.accretion.core.AccretionException;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.python.index.PipConfiguration;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.lock.Locker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What identifies a Python build's inputs for the selector cache, beside the targets and the
 * pipeline's options: the listing's path, format and bytes, the bytes of every requirements file it
 * includes ({@code -r}/{@code -c}, followed recursively), the values of the {@code ${VAR}} it uses,
 * the builder options (extras, groups, index overrides, layout, slimming...), pip's configuration
 * (the effective indexes, with the listing's own options in its bytes) and the working directory
 * (relative find-links locations are read from it). Secrets are not in it: credentials live in
 * netrc or the environment, and URLs are kept as written.
 */
final class PythonSelector {
  private static final Pattern INCLUDE =
      Pattern.compile(
          "^\\s*(?:-r|--requirement|-c|--constraint)(?:\\s*=\\s*|\\s+)(\\S+)", Pattern.MULTILINE);
  private static final Pattern ENV_VAR = Pattern.compile("\\$\\{([A-Z0-9_]+)\\}");

  private PythonSelector() {}

  static String text(Locker locker, BuildInput input) {
    StringBuilder text = new StringBuilder();
    line(text, "kind", "accretion-python/2");
    line(text, "listing.path", locker.listing().toString());
    line(text, "listing.format", locker.format().cliName());
    byte[] bytes = locker.listingBytes();
    line(text, "listing.sha256", sha256(bytes));
    Set<String> variables = new TreeSet<>();
    collectVariables(bytes, variables);
    if (locker.format() == ListingFormat.REQUIREMENTS) {
      Set<Path> seen = new LinkedHashSet<>();
      seen.add(locker.listing());
      includes(locker.listing(), bytes, seen, text, variables);
    }
    for (String v : variables) {
      String value = input.context().env().get(v);
      line(text, "env." + v, value == null ? "\0unset" : value);
    }
    text.append("options\n").append(input.options().selectorText());
    PipConfiguration pip;
    try {
      pip = PipConfiguration.load(input.context().env(), input.context().home());
    } catch (AccretionException e) {
      pip = null;
    }
    if (pip != null) {
      line(text, "pip.indexUrl", String.valueOf(pip.indexUrl()));
      line(text, "pip.extraIndexUrls", String.join(" ", pip.extraIndexUrls()));
      line(text, "pip.findLinks", String.join(" ", pip.findLinks()));
      line(text, "pip.noIndex", Boolean.toString(pip.noIndex()));
    }
    line(text, "workingDirectory", input.context().workingDirectory().toString());
    return text.toString();
  }

  private static void line(StringBuilder text, String key, String value) {
    text.append(key).append('\0').append(value).append('\n');
  }

  private static void includes(
      Path file, byte[] bytes, Set<Path> seen, StringBuilder text, Set<String> variables) {
    Matcher m = INCLUDE.matcher(new String(bytes, StandardCharsets.UTF_8));
    while (m.find()) {
      String target = m.group(1);
      if (target.matches("(?i)^(https?|file):.*")) {
        line(text, "include.url", target);
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
      line(text, "include:" + included, sha256(content));
      collectVariables(content, variables);
      includes(included, content, seen, text, variables);
    }
  }

  private static void collectVariables(byte[] bytes, Set<String> into) {
    Matcher m = ENV_VAR.matcher(new String(bytes, StandardCharsets.UTF_8));
    while (m.find()) {
      into.add(m.group(1));
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
