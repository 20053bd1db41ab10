package dev.accretion.java;

import dev.accretion.core.elf.ElfInfo;
import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fetched jar (or other Maven artifact) with what {@link JarInspector} found. Holds nothing open;
 * immutable.
 */
record JavaOpenedJar(ResolvedPackage pkg, Path blob, JarInspector.JarFacts jarFacts, String license)
    implements OpenedPackage {

  @Override
  public boolean licenseIsExpression() {
    return false;
  }

  /**
   * {@code javaVersion} (the oldest Java that loads its classes), {@code multiRelease} (the release
   * folders of a multi-release jar) and {@code nativeLibraries} (path, format, and for ELF the
   * machine, the newest GLIBC version it needs and its needed libraries).
   */
  @Override
  public Map<String, Object> facts() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (jarFacts == null) {
      return out;
    }
    if (jarFacts.javaVersion() > 0) {
      out.put("javaVersion", jarFacts.javaVersion());
    }
    if (!jarFacts.releaseMajors().isEmpty()) {
      out.put(
          "multiRelease",
          new ArrayList<>(new java.util.TreeSet<>(jarFacts.releaseMajors().keySet())));
    }
    if (!jarFacts.nativeLibraries().isEmpty()) {
      List<Map<String, Object>> libs = new ArrayList<>();
      for (JarInspector.NativeLibrary n : jarFacts.nativeLibraries()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", n.path());
        m.put("format", n.format());
        ElfInfo elf = n.elf();
        if (elf != null) {
          m.put("machine", elf.machineName());
          m.put("elfClass", elf.elfClass());
          elf.maxGlibc().ifPresent(v -> m.put("glibc", v.toString()));
          m.put("needed", elf.neededLibraries());
        }
        libs.add(m);
      }
      out.put("nativeLibraries", libs);
    }
    return out;
  }

  @Override
  public void close() {}
}
