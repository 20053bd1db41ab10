package dev.accretion.core.elf;

import dev.accretion.testkit.Python;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** GNU readelf (binutils) as an independent oracle; fails loudly if it is not installed. */
final class ReadelfOracle {
  private ReadelfOracle() {}

  private static final Map<String, Integer> MACHINES =
      Map.of(
          "Advanced Micro Devices X86-64", 62,
          "AArch64", 183,
          "PowerPC", 20,
          "Intel 80386", 3,
          "MIPS R3000", 8,
          "IBM S/390", 22,
          "ARM", 40);

  /** What readelf says about a file, in {@link ElfInfo}'s terms. */
  static ElfInfo inspect(Path file) throws IOException {
    Python.Result r;
    try {
      r =
          Python.exec(
              List.of("readelf", "-h", "-d", "-V", "-W", file.toString()), null, Map.of(), 60);
    } catch (IOException e) {
      throw new AssertionError("readelf (binutils) is needed as the ELF oracle: " + e, e);
    }
    if (r.code() != 0) {
      throw new AssertionError("readelf failed on " + file + ": " + r.stderr());
    }
    int elfClass = 0;
    ByteOrder order = null;
    int machine = -1;
    int type = -1;
    List<String> needed = new ArrayList<>();
    List<ElfInfo.VersionNeed> needs = new ArrayList<>();
    boolean inNeeds = false;
    String library = null;
    for (String raw : r.stdout().split("\n")) {
      String line = raw.strip();
      if (line.startsWith("Class:")) {
        elfClass = line.endsWith("ELF64") ? 64 : 32;
      } else if (line.startsWith("Data:")) {
        order = line.contains("little endian") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      } else if (line.startsWith("Machine:")) {
        String name = line.substring("Machine:".length()).strip();
        machine = MACHINES.getOrDefault(name, -1);
        if (machine < 0) {
          throw new AssertionError("unknown readelf machine name " + name);
        }
      } else if (line.startsWith("Type:")) {
        String t = line.substring("Type:".length()).strip();
        type = t.startsWith("DYN") ? 3 : t.startsWith("EXEC") ? 2 : t.startsWith("REL") ? 1 : 4;
      } else if (line.contains("(NEEDED)")) {
        needed.add(line.substring(line.indexOf('[') + 1, line.lastIndexOf(']')));
      } else if (raw.startsWith("Version needs section")) {
        inNeeds = true;
      } else if (raw.startsWith("Version ") || raw.isBlank()) {
        inNeeds = false;
      } else if (inNeeds && line.contains("File: ")) {
        String rest = line.substring(line.indexOf("File: ") + 6);
        library = rest.substring(0, rest.indexOf("  Cnt:"));
      } else if (inNeeds && line.contains("Name: ")) {
        String rest = line.substring(line.indexOf("Name: ") + 6);
        needs.add(new ElfInfo.VersionNeed(library, rest.substring(0, rest.indexOf("  Flags:"))));
      }
    }
    return new ElfInfo(elfClass, order, machine, type, needed, needs);
  }
}
