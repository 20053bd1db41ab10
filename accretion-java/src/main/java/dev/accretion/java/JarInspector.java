package dev.accretion.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.elf.ElfException;
import dev.accretion.core.elf.ElfInfo;
import dev.accretion.core.elf.ElfInspector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads what a jar needs to run: the newest class file version of its classes (per release for a
 * multi-release jar) and the native libraries it carries. Jars are never changed: this only reads.
 */
final class JarInspector {
  /** Class file major version of Java 8; Java N reads majors up to {@code 44 + N}. */
  static final int JAVA_8_MAJOR = 52;

  private static final int MAX_NATIVE_BYTES = 256 << 20;

  private JarInspector() {}

  /**
   * What a jar needs.
   *
   * @param baseMajor the highest class file major version of the classes every runtime loads (0
   *     when it has none), with an example class
   * @param baseExample a class with that version
   * @param releaseMajors for a multi-release jar, per release folder ({@code META-INF/versions/N}),
   *     the highest major version found there
   * @param nativeLibraries native libraries inside, with their facts
   */
  record JarFacts(
      int baseMajor,
      String baseExample,
      Map<Integer, Integer> releaseMajors,
      List<NativeLibrary> nativeLibraries) {
    JarFacts {
      releaseMajors = Map.copyOf(releaseMajors);
      nativeLibraries = List.copyOf(nativeLibraries);
    }

    /** The oldest Java that loads every class of the base, or 0 when there are no classes. */
    int javaVersion() {
      return baseMajor == 0 ? 0 : baseMajor - 44;
    }
  }

  /**
   * A native library inside a jar.
   *
   * @param path the entry's path
   * @param format {@code elf}, {@code mach-o}, {@code pe} or {@code unknown}
   * @param elf the ELF facts, when it is ELF
   */
  record NativeLibrary(String path, String format, ElfInfo elf) {}

  /**
   * Inspects a jar.
   *
   * @throws AccretionException {@link FailureKind#REFUSED} naming the jar when it is not a readable
   *     zip
   */
  static JarFacts inspect(Path jar, String label) throws AccretionException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      boolean multiRelease = multiRelease(zip);
      int baseMajor = 0;
      String baseExample = null;
      Map<Integer, Integer> releases = new TreeMap<>();
      List<NativeLibrary> natives = new ArrayList<>();
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (e.isDirectory()) {
          continue;
        }
        String name = e.getName();
        if (isNative(name)) {
          natives.add(nativeLibrary(zip, e));
          continue;
        }
        if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
          // module-info is read only by Java 9+ module systems; Java 8 ignores it
          continue;
        }
        int release = 0;
        if (name.startsWith("META-INF/")) {
          if (!multiRelease || !name.startsWith("META-INF/versions/")) {
            continue;
          }
          String rest = name.substring("META-INF/versions/".length());
          int slash = rest.indexOf('/');
          try {
            release = slash > 0 ? Integer.parseInt(rest.substring(0, slash)) : 0;
          } catch (NumberFormatException x) {
            continue;
          }
          if (release == 0) {
            continue;
          }
        }
        int major = major(zip, e);
        if (major <= 0) {
          continue;
        }
        if (release == 0) {
          if (major > baseMajor) {
            baseMajor = major;
            baseExample = name;
          }
        } else {
          releases.merge(release, major, Math::max);
        }
      }
      natives.sort(java.util.Comparator.comparing(NativeLibrary::path));
      return new JarFacts(baseMajor, baseExample, releases, natives);
    } catch (ZipException e) {
      throw new AccretionException(
          FailureKind.REFUSED,
          label + " is not a readable jar: " + e.getMessage(),
          "the file in the repository is damaged; report it to the repository's owner",
          null);
    } catch (IOException e) {
      throw new AccretionException(FailureKind.FAILED, "cannot read " + label + ": " + e, e);
    }
  }

  private static boolean multiRelease(ZipFile zip) throws IOException {
    ZipEntry m = zip.getEntry("META-INF/MANIFEST.MF");
    if (m == null) {
      return false;
    }
    try (InputStream in = zip.getInputStream(m)) {
      Attributes main = new Manifest(in).getMainAttributes();
      return "true".equalsIgnoreCase(String.valueOf(main.getValue("Multi-Release")).strip());
    } catch (IOException e) {
      return false;
    }
  }

  private static int major(ZipFile zip, ZipEntry e) throws IOException {
    byte[] head = new byte[8];
    try (InputStream in = zip.getInputStream(e)) {
      int n = in.readNBytes(head, 0, 8);
      if (n < 8
          || (head[0] & 0xff) != 0xCA
          || (head[1] & 0xff) != 0xFE
          || (head[2] & 0xff) != 0xBA
          || (head[3] & 0xff) != 0xBE) {
        return 0;
      }
      return ((head[6] & 0xff) << 8) | (head[7] & 0xff);
    }
  }

  static boolean isNative(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int slash = lower.lastIndexOf('/');
    String base = lower.substring(slash + 1);
    return base.endsWith(".so")
        || base.matches(".*\\.so\\.[0-9.]+")
        || base.endsWith(".dylib")
        || base.endsWith(".jnilib")
        || base.endsWith(".dll");
  }

  private static NativeLibrary nativeLibrary(ZipFile zip, ZipEntry e) throws IOException {
    byte[] bytes;
    try (InputStream in = zip.getInputStream(e)) {
      bytes = in.readNBytes(MAX_NATIVE_BYTES);
    }
    String format = "unknown";
    ElfInfo elf = null;
    if (bytes.length >= 4
        && bytes[0] == 0x7f
        && bytes[1] == 'E'
        && bytes[2] == 'L'
        && bytes[3] == 'F') {
      format = "elf";
      try {
        Optional<ElfInfo> info = ElfInspector.inspect(bytes, e.getName());
        elf = info.orElse(null);
      } catch (ElfException x) {
        elf = null;
      }
    } else if (bytes.length >= 2 && bytes[0] == 'M' && bytes[1] == 'Z') {
      format = "pe";
    } else if (bytes.length >= 4) {
      int magic =
          ((bytes[0] & 0xff) << 24)
              | ((bytes[1] & 0xff) << 16)
              | ((bytes[2] & 0xff) << 8)
              | (bytes[3] & 0xff);
      if (magic == 0xFEEDFACE
          || magic == 0xFEEDFACF
          || magic == 0xCEFAEDFE
          || magic == 0xCFFAEDFE
          || magic == 0xCAFEBABE) {
        format = "mach-o";
      }
    }
    return new NativeLibrary(e.getName(), format, elf);
  }
}
