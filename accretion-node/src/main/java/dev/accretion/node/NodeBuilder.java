package dev.accretion.node;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Language;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.ListingFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Node.js builder ({@code nodejs}): npm listings into {@code nodejs/node_modules}, in pure
 * Java. It reads package.json with its lock (package-lock.json or npm-shrinkwrap.json v2/v3,
 * pnpm-lock.yaml v9, yarn.lock v1), a lock on its own, or package.json alone (resolved against the
 * registry). Install scripts never run. Stateless and thread-safe.
 *
 * <p>Options ({@link dev.accretion.pipeline.spi.BuilderOptions}):
 *
 * <ul>
 *   <li>{@code workspace}: build one npm workspace's production dependencies (its name or folder);
 *   <li>{@code registry}: the default registry, over {@code .npmrc} and {@code
 *       NPM_CONFIG_REGISTRY};
 *   <li>{@code allow-unbuilt}: packages (by name, repeatable) that may be installed without the
 *       native addon their install scripts would build.
 * </ul>
 */
public final class NodeBuilder implements Builder {
  /** The builder's id. */
  public static final String ID = "nodejs";

  static final ListingFormat PACKAGE_JSON =
      new ListingFormat(
          "package-json",
          "npm package.json (the lock beside it is used: npm-shrinkwrap.json, package-lock.json,"
              + " pnpm-lock.yaml, yarn.lock; without one, resolved against the registry)",
          List.of("package.json"),
          false);
  static final ListingFormat PACKAGE_LOCK =
      new ListingFormat(
          "package-lock",
          "npm lock (package-lock.json or npm-shrinkwrap.json, lockfileVersion 2 or 3)",
          List.of("package-lock.json", "npm-shrinkwrap.json", "*.package-lock.json"),
          true);
  static final ListingFormat PNPM_LOCK =
      new ListingFormat(
          "pnpm-lock",
          "pnpm lock (pnpm-lock.yaml, lockfileVersion 9)",
          List.of("pnpm-lock.yaml"),
          true);
  static final ListingFormat YARN_LOCK =
      new ListingFormat(
          "yarn-lock", "yarn classic lock (yarn.lock, v1)", List.of("yarn.lock"), true);

  static final List<ListingFormat> FORMATS =
      List.of(PACKAGE_JSON, PACKAGE_LOCK, PNPM_LOCK, YARN_LOCK);

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Language> languages() {
    return Set.of(Language.NODEJS);
  }

  @Override
  public List<ListingFormat> formats() {
    return FORMATS;
  }

  @Override
  public Optional<ListingFormat> detect(Path listing) {
    Path name = listing.getFileName();
    if (name == null) {
      return Optional.empty();
    }
    String n = name.toString();
    if (n.equals("package.json")) {
      return Optional.of(PACKAGE_JSON);
    }
    if (n.equals("package-lock.json")
        || n.equals("npm-shrinkwrap.json")
        || n.endsWith(".package-lock.json")) {
      return Optional.of(PACKAGE_LOCK);
    }
    if (n.equals("pnpm-lock.yaml")) {
      return Optional.of(PNPM_LOCK);
    }
    if (n.equals("yarn.lock")) {
      return Optional.of(YARN_LOCK);
    }
    return Optional.empty();
  }

  static Optional<ListingFormat> byId(String id) {
    return FORMATS.stream().filter(f -> f.id().equals(id)).findFirst();
  }

  @Override
  public BuildSession open(BuildInput input) throws AccretionException {
    return NodeSession.open(this, input);
  }

  @Override
  public Optional<Set<String>> optionKeys() {
    return Optional.of(NodeSession.OPTIONS);
  }
}
