package dev.accretion.python.builder;

import dev.accretion.core.elf.ElfInfo;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.ResolvedPackage;
import dev.accretion.python.install.InspectedWheel;
import dev.accretion.python.layer.ManifestPackage;
import dev.accretion.python.tags.Tag;
import java.util.HashMap;
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
  private final Map<Integer, ElfInfo> elfByEntry = new HashMap<>();

  PythonPackage(ResolvedPackage pkg, InspectedWheel wheel) {
    this.pkg = pkg;
    this.wheel = wheel;
    for (InspectedWheel.WheelFile f : wheel.files()) {
      if (f.elf() != null) {
        elfByEntry.put(f.entry().index(), f.elf());
      }
    }
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
    return ManifestPackage.license(wheel.metadata());
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

  /** The pipeline's view of an installed file, with the ELF facts the inspection found. */
  LayerFile toLayerFile(dev.accretion.python.install.LayerFile f) {
    if (f.isRaw()) {
      return new LayerFile(
          f.path(),
          f.executable(),
          f.sha256(),
          f.size(),
          new LayerFile.Raw(f.archive(), f.entry()),
          elfByEntry.get(f.entry().index()));
    }
    return new LayerFile(
        f.path(), f.executable(), f.sha256(), f.size(), new LayerFile.Stored(f.bytes()), null);
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
