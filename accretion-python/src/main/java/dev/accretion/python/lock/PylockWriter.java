package dev.accretion.python.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.core.BuilderVersion;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolvedPackage;
import dev.accretion.python.tags.PythonTarget;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Writes a resolution as a PEP 751 {@code pylock.toml} for one Lambda target: every package with
 * its version, the exact wheel (URL, size, sha256) and the index it came from. Output is
 * deterministic (sorted packages, fixed key order, no timestamps), so the same resolution gives the
 * same bytes.
 */
public final class PylockWriter {
  /** Supplies what an index did not say about a file: its sha256 and size. */
  public interface FileFacts {
    /** The file's sha256 hex; may download or read the file. */
    String sha256(IndexFile file) throws AccretionException;

    /** The file's size in bytes. */
    long size(IndexFile file) throws AccretionException;
  }

  private PylockWriter() {}

  /** The marker expression that says which environment a per-target lock is for. */
  public static String environmentMarker(PythonTarget target) {
    return "sys_platform == \"linux\" and platform_machine == \""
        + target.architecture().machine()
        + "\" and python_version == \""
        + target.pythonVersion()
        + "\" and implementation_name == \"cpython\"";
  }

  public static String write(Resolution resolution, FileFacts facts) throws AccretionException {
    PythonTarget target = resolution.target();
    StringBuilder out = new StringBuilder();
    out.append("# Lambda layer lock for ")
        .append(target.describe())
        .append(".\n# Written by Accretion ")
        .append(BuilderVersion.get())
        .append("; install with `accretion build` (wheels only, hashes enforced).\n");
    out.append("lock-version = \"1.0\"\n");
    out.append("environments = ")
        .append(Toml.stringArray(List.of(environmentMarker(target))))
        .append('\n');
    out.append("requires-python = ")
        .append(Toml.string("==" + target.pythonVersion() + ".*"))
        .append('\n');
    out.append("extras = []\n");
    out.append("dependency-groups = []\n");
    out.append("default-groups = []\n");
    out.append("created-by = \"accretion\"\n");
    for (ResolvedPackage p : resolution.packages()) {
      IndexFile file = p.distribution().file();
      out.append("\n[[packages]]\n");
      out.append("name = ").append(Toml.string(p.name().normalized())).append('\n');
      out.append("version = ").append(Toml.string(p.version().toString())).append('\n');
      if (p.metadata().requiresPython() != null && !p.metadata().requiresPython().isBlank()) {
        out.append("requires-python = ")
            .append(Toml.string(p.metadata().requiresPython().strip()))
            .append('\n');
      }
      if (!p.direct()) {
        out.append("index = ").append(Toml.string(stripSlash(file.index()))).append('\n');
      }
      List<String> deps = new ArrayList<>();
      for (String d : p.dependencies()) {
        deps.add("{name = " + Toml.string(d) + "}");
      }
      out.append("dependencies = [").append(String.join(", ", deps)).append("]\n");
      String sha256 = file.sha256().orElse(null);
      if (sha256 == null) {
        sha256 = facts.sha256(file);
      }
      OptionalLong size = file.size();
      if (size.isEmpty() && "file".equalsIgnoreCase(file.url().getScheme())) {
        size = OptionalLong.of(facts.size(file));
      }
      out.append("wheels = [\n  {name = ")
          .append(Toml.string(file.filename()))
          .append(", url = ")
          .append(Toml.string(file.url().toString()));
      if (size.isPresent()) {
        // PEP 751 recommends the size; a remote index that doesn't publish it (PEP 700) leaves
        // it out rather than downloading the wheel only to measure it
        out.append(", size = ").append(size.getAsLong());
      }
      out.append(", hashes = {sha256 = ").append(Toml.string(sha256)).append("}},\n]\n");
      out.append("[packages.tool.accretion]\n");
      out.append("required-by = ").append(Toml.stringArray(p.requiredBy())).append('\n');
    }
    out.append("\n[tool.accretion]\n");
    out.append("runtime = ").append(Toml.string(target.runtime().id())).append('\n');
    out.append("architecture = ")
        .append(Toml.string(target.architecture().lambdaName()))
        .append('\n');
    out.append("python-full-version = ")
        .append(Toml.string(target.pythonFullVersion()))
        .append('\n');
    out.append("glibc = ").append(Toml.string(target.glibc().toString())).append('\n');
    return out.toString();
  }

  private static String stripSlash(URI index) {
    String s = index.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
