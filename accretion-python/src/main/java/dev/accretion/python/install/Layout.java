package dev.accretion.python.install;

import dev.accretion.python.tags.PythonTarget;
import java.util.Locale;

/**
 * Where packages go in a Python layer. Lambda extracts layers to {@code /opt}, and its Python
 * runtimes put both {@code /opt/python} and {@code /opt/python/lib/python3.X/site-packages} on
 * {@code sys.path} (the AWS Lambda documentation, "Layer paths for each Lambda runtime").
 */
public enum Layout {
  /** {@code python/}: works for every Python version, so pure layers can serve several runtimes. */
  PYTHON("python"),
  /** {@code python/lib/python3.X/site-packages}: tied to one Python version. */
  SITE_PACKAGES("site-packages");

  private final String cliName;

  Layout(String cliName) {
    this.cliName = cliName;
  }

  /**
   * The name used on the command line and in manifests: {@code python} or {@code site-packages}.
   */
  public String cliName() {
    return cliName;
  }

  /** The folder of the layer that packages install into, for {@code target}. */
  public String sitePath(PythonTarget target) {
    return switch (this) {
      case PYTHON -> "python";
      case SITE_PACKAGES -> "python/lib/python" + target.pythonVersion() + "/site-packages";
    };
  }

  /**
   * Parses a command-line name.
   *
   * @throws IllegalArgumentException naming the valid names
   */
  public static Layout parse(String name) {
    String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    for (Layout layout : values()) {
      if (layout.cliName.equals(key)) {
        return layout;
      }
    }
    throw new IllegalArgumentException(
        "unknown layout '" + name + "': use python or site-packages");
  }
}
