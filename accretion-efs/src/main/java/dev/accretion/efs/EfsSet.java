package dev.accretion.efs;

import dev.accretion.core.runtime.Target;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A resolved dependency set for one target: the exact package versions a view makes importable. Its
 * {@link #digest()} names the view: the sha256 of the target and of every package's name, version
 * and wheel sha256, in name order, so two listings that resolve to the same wheels share one view.
 * Immutable.
 *
 * @param runtime the runtime id ({@code python3.11})
 * @param architecture {@code x86_64} or {@code arm64}
 * @param packages the packages, sorted by name
 * @param lock the lock's text (a PEP 751 {@code pylock.toml}), or null when none was written
 */
public record EfsSet(String runtime, String architecture, List<EfsPackage> packages, String lock) {
  public EfsSet {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(architecture, "architecture");
    List<EfsPackage> sorted = new ArrayList<>(packages);
    sorted.sort(Comparator.comparing(EfsPackage::name));
    packages = List.copyOf(sorted);
  }

  /** The folder of a target's versions relative to the root: {@code python3.11/x86_64}. */
  public static String targetPath(Target target) {
    return target.runtime().id() + "/" + target.architecture().lambdaName();
  }

  /** The view's name: lowercase hex sha256 over the target and the packages. */
  public String digest() {
    StringBuilder b = new StringBuilder("accretion-efs-view/v1\n");
    b.append(runtime).append(' ').append(architecture).append('\n');
    for (EfsPackage p : packages) {
      b.append(p.name())
          .append(' ')
          .append(p.version())
          .append(' ')
          .append(p.sha256() == null ? p.file() : p.sha256())
          .append('\n');
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The view record ({@code views/<digest>.json}). */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", "accretion/efs-view/v1");
    m.put("digest", digest());
    m.put("runtime", runtime);
    m.put("architecture", architecture);
    List<Object> ps = new ArrayList<>();
    for (EfsPackage p : packages) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", p.name());
      e.put("version", p.version());
      e.put("file", p.file());
      e.put("sha256", p.sha256());
      e.put("path", p.path());
      ps.add(e);
    }
    m.put("packages", ps);
    m.put("lock", lock);
    return JsonText.write(m);
  }

  /** Reads a view record written by {@link #toJson()}. */
  @SuppressWarnings("unchecked")
  public static EfsSet parse(String json) throws dev.accretion.core.json.Json.SyntaxError {
    Map<String, Object> m = (Map<String, Object>) plain(dev.accretion.core.json.Json.parse(json));
    List<EfsPackage> ps = new ArrayList<>();
    for (Object o : (List<Object>) m.get("packages")) {
      Map<String, Object> e = (Map<String, Object>) o;
      ps.add(
          new EfsPackage(
              (String) e.get("name"),
              (String) e.get("version"),
              (String) e.get("file"),
              (String) e.get("sha256"),
              (String) e.get("path")));
    }
    return new EfsSet(
        (String) m.get("runtime"), (String) m.get("architecture"), ps, (String) m.get("lock"));
  }

  private static Object plain(Object v) {
    if (v instanceof dev.accretion.core.json.Json.Node n) {
      return plain(n.value());
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, plain(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(plain(x)));
      return out;
    }
    return v;
  }
}
