package dev.accretion.node.tree;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.json.JsonValues;
import dev.accretion.node.lock.Manifest;
import dev.accretion.node.lock.Spec;
import dev.accretion.node.semver.Range;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * package.json {@code overrides} as npm applies them: a rule {@code "name"} or {@code "name@range"}
 * replaces the spec of every edge to that package below where the rule applies; an object value
 * holds rules for the package's own subtree (its {@code "."} key overrides the package itself);
 * {@code "$name"} stands for the project's own spec of {@code name}. Rules of an enclosing set keep
 * applying inside a nested one. Immutable.
 */
public final class Overrides {
  /** One rule. */
  record Rule(String name, String keySpec, String value, Overrides children) {}

  private final Map<String, Rule> rules;
  private final Overrides parent;

  private Overrides(Map<String, Rule> rules, Overrides parent) {
    this.rules = rules;
    this.parent = parent;
  }

  /** No overrides. */
  public static final Overrides NONE = new Overrides(Map.of(), null);

  /**
   * Reads the project's overrides.
   *
   * @throws AccretionException {@link FailureKind#BAD_INPUT} for a rule on a direct dependency
   *     whose spec differs from the dependency's (npm's EOVERRIDE)
   */
  public static Overrides of(Manifest root) throws AccretionException {
    Map<String, Object> raw = root.overrides();
    if (raw.isEmpty()) {
      return NONE;
    }
    Overrides set = parse(raw, null, root);
    Map<String, String> direct = new LinkedHashMap<>();
    direct.putAll(root.peerDependencies());
    direct.putAll(root.optionalDependencies());
    direct.putAll(root.devDependencies());
    direct.putAll(root.dependencies());
    for (Rule r : set.rules.values()) {
      if (r.value() != null
          && direct.containsKey(r.name())
          && !direct.get(r.name()).equals(r.value())) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "package.json overrides "
                + r.name()
                + " with \""
                + r.value()
                + "\", but the project depends on it directly as \""
                + direct.get(r.name())
                + "\" (npm refuses this too: EOVERRIDE)",
            "use \"$" + r.name() + "\" as the override, or make both specs the same",
            null);
      }
    }
    return set;
  }

  private static Overrides parse(Map<String, Object> raw, Overrides parent, Manifest root)
      throws AccretionException {
    Map<String, Rule> rules = new LinkedHashMap<>();
    Overrides set = new Overrides(rules, parent);
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      String key = e.getKey();
      if (key.equals(".")) {
        continue;
      }
      int at = key.indexOf('@', key.startsWith("@") ? 1 : 0);
      String name = at > 0 ? key.substring(0, at) : key;
      String keySpec = at > 0 ? key.substring(at + 1) : "*";
      String value;
      Overrides children = null;
      if (e.getValue() instanceof String s) {
        value = resolveRef(s, root);
      } else if (e.getValue() instanceof Map<?, ?>) {
        Map<String, Object> m = JsonValues.asMap(e.getValue());
        value = m.get(".") instanceof String s ? resolveRef(s, root) : null;
        children = parse(m, set, root);
      } else {
        continue;
      }
      rules.put(key, new Rule(name, keySpec, value, children));
    }
    return set;
  }

  private static String resolveRef(String value, Manifest root) throws AccretionException {
    if (!value.startsWith("$")) {
      return value;
    }
    String name = value.substring(1);
    for (Map<String, String> deps :
        java.util.List.of(
            root.dependencies(),
            root.devDependencies(),
            root.optionalDependencies(),
            root.peerDependencies())) {
      if (deps.containsKey(name)) {
        return deps.get(name);
      }
    }
    throw new AccretionException(
        FailureKind.BAD_INPUT,
        "package.json overrides refer to " + value + ", but the project does not depend on " + name,
        "add " + name + " to the project's dependencies, or write the spec in the override",
        null);
  }

  /** The rule for an edge to {@code name} with {@code spec}, from this set or an enclosing one. */
  Rule ruleFor(String name, String spec) {
    for (Overrides s = this; s != null; s = s.parent) {
      for (Rule r : s.rules.values()) {
        if (!r.name().equals(name)) {
          continue;
        }
        if (r.keySpec().equals("*") || r.keySpec().isEmpty()) {
          return r;
        }
        Spec edge = Spec.parse(spec);
        Range key = Range.parse(r.keySpec()).orElse(null);
        if (edge.type() == Spec.Type.RANGE && key != null && edge.range().intersects(key)) {
          return r;
        }
      }
    }
    return null;
  }

  /** The spec after overrides for an edge to {@code name}. */
  public String apply(String name, String spec) {
    Rule r = ruleFor(name, spec);
    return r != null && r.value() != null ? r.value() : spec;
  }

  /** The set that applies inside the package reached through an edge to {@code name}. */
  public Overrides descend(String name, String spec) {
    Rule r = ruleFor(name, spec);
    return r != null && r.children() != null ? r.children() : this;
  }

  public boolean isEmpty() {
    return rules.isEmpty() && parent == null;
  }
}
