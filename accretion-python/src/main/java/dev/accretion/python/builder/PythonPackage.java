package dev.accretion.python.builder;

import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.ResolvedPackage;
import dev.accretion.python.install.InspectedWheel;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A wheel that {@link dev.accretion.python.install.WheelInspector} verified (structure, names,
 * RECORD, ELF facts of every file), for the pipeline. Holds the open archive its entries are copied
 * from; closed by the pipeline when the build is over. Thread-safe for reading.
 */
final class PythonPackage implements OpenedPackage {
  private final ResolvedPackage pkg;
  private final InspectedWheel wheel;

  PythonPackage(ResolvedPackage pkg, InspectedWheel wheel) {
    this.pkg = pkg;
    this.wheel = wheel;
  }

  InspectedWheel wheel() {
    return wheel;
  }

  @Override
  public ResolvedPackage pkg() {
    return pkg;
  }

  @Override
  public String license() {
    return license(wheel.metadata());
  }

  /**
   * The license a package declares: {@code License-Expression} (core metadata 2.4, an SPDX
   * expression) if present; else {@code License} when it is one short line (many packages put the
   * whole license text there, which is not a name); else the last part of each {@code License ::}
   * classifier ({@code MIT License}), joined by {@code "; "}; else null.
   */
  static String license(CoreMetadata metadata) {
    if (metadata.licenseExpression() != null && !metadata.licenseExpression().isBlank()) {
      return metadata.licenseExpression().strip();
    }
    if (metadata.license() != null) {
      String text = metadata.license().strip();
      if (!text.isEmpty()
          && !text.contains("\n")
          && text.length() <= 100
          && !text.equalsIgnoreCase("UNKNOWN")) {
        return text;
      }
    }
    List<String> fromClassifiers = new ArrayList<>();
    for (String classifier : metadata.classifiers()) {
      String c = classifier.strip();
      if (c.startsWith("License ::")) {
        String[] parts = c.split("\\s*::\\s*");
        String last = parts[parts.length - 1].strip();
        if (parts.length > 1 && !last.equals("OSI Approved") && !fromClassifiers.contains(last)) {
          fromClassifiers.add(last);
        }
      }
    }
    return fromClassifiers.isEmpty() ? null : String.join("; ", fromClassifiers);
  }

  @Override
  public boolean licenseIsExpression() {
    return wheel.metadata().licenseExpression() != null
        && !wheel.metadata().licenseExpression().isBlank();
  }

  @Override
  public Map<String, Object> facts() {
    Map<String, Object> facts = new TreeMap<>();
    facts.put("tags", wheel.filename().tags().stream().map(Tag::toString).toList());
    if (wheel.metadata().requiresPython() != null) {
      facts.put("requiresPython", wheel.metadata().requiresPython().strip());
    }
    return facts;
  }

  @Override
  public String platformClaim() {
    return "the wheel's tags ("
        + String.join(", ", wheel.filename().tags().stream().map(Tag::toString).toList())
        + ")";
  }

  @Override
  public List<String> warnings() {
    return wheel.recordWarnings();
  }

  @Override
  public void close() {
    try {
      wheel.archive().close();
    } catch (RuntimeException e) {
      // read-only; nothing is lost
    }
  }
}
