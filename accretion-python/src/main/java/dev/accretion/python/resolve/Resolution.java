package dev.accretion.python.resolve;

import dev.accretion.python.tags.PythonTarget;
import java.util.List;

/**
 * The answer for one target: every package to install, sorted by name, and what was noticed on the
 * way.
 */
public record Resolution(
    PythonTarget target,
    List<ResolvedPackage> packages,
    List<String> warnings,
    int rounds,
    int backtracks) {
  public Resolution {
    packages = List.copyOf(packages);
    warnings = List.copyOf(warnings);
  }
}
