package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.elf.ElfInfo;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.Digest;
import dev.accretion.pipeline.spi.FileFacts;
import dev.accretion.pipeline.spi.InstalledPackage;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.ListingFormat;
import dev.accretion.pipeline.spi.LockFile;
import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.PackageSource;
import dev.accretion.pipeline.spi.Placement;
import dev.accretion.pipeline.spi.Resolution;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * A builder for tests of the pipeline alone. A listing ({@code *.fake}) has one package per line:
 * {@code name version [digest=sha256|sha512|none] [only=<runtime>]}; each package's file is {@code
 * files/<name>-<version>.pkg} beside the listing, one layer file per line: {@code
 * path<TAB>content}, where {@code {runtime}} in the content becomes the target's runtime, a path
 * ending in {@code .so@<machine>@<glibc>} is a native file with those ELF facts, and a {@code *}
 * before the path makes the file compressed.
 */
public final class FakeBuilder implements Builder {
  final AtomicInteger downloads = new AtomicInteger();
  // downloads in progress and the most seen at once; they may be held until enough are in
  final dev.accretion.testkit.InFlightGate inFlight = new dev.accretion.testkit.InFlightGate();

  /** Holds downloads until {@code count} are in progress at once, each at most {@code millis}. */
  void holdDownloadsUntil(int count, int millis) {
    inFlight.holdUntil(count, millis);
  }

  // the sessions' fetch concurrency, or 0 for the interface's default
  volatile int fetchConcurrency;

  @Override
  public String id() {
    return "fake";
  }

  @Override
  public Set<Language> languages() {
    return Set.of(Language.PYTHON);
  }

  @Override
  public List<ListingFormat> formats() {
    return List.of(new ListingFormat("fake", "a test listing", List.of("*.fake"), false));
  }

  @Override
  public Optional<ListingFormat> detect(Path listing) {
    return listing.getFileName().toString().endsWith(".fake")
        ? Optional.of(formats().get(0))
        : Optional.empty();
  }

  @Override
  public String packageFileNoun() {
    return "fake package";
  }

  @Override
  public BuildSession open(BuildInput input) throws AccretionException {
    input.options().checkKeys("fake", Set.of("note", "index-url"));
    try {
      return new Session(input, Files.readAllBytes(input.listing()));
    } catch (IOException e) {
      throw new AccretionException(FailureKind.NOT_FOUND, "no listing " + input.listing(), e);
    }
  }

  static String sha(byte[] bytes, String algorithm) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private final class Session implements BuildSession {
    private final BuildInput input;
    private final byte[] bytes;

    Session(BuildInput input, byte[] bytes) {
      this.input = input;
      this.bytes = bytes;
    }

    private List<String[]> lines() {
      List<String[]> out = new ArrayList<>();
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          out.add(l.split("\\s+"));
        }
      }
      return out;
    }

    @Override
    public String builderId() {
      return "fake";
    }

    @Override
    public Path listing() {
      return input.listing();
    }

    @Override
    public ListingFormat format() {
      return formats().get(0);
    }

    @Override
    public byte[] listingBytes() {
      return bytes.clone();
    }

    @Override
    public String defaultName() {
      return "fakelayer";
    }

    @Override
    public Optional<String> selectorText() {
      return Optional.of(sha(bytes, "SHA-256") + "\n" + input.options().selectorText());
    }

    @Override
    public List<String> notes() {
      return input.options().list("note");
    }

    @Override
    public Optional<String> emptyReason() {
      return lines().isEmpty() ? Optional.of("it lists no packages") : Optional.empty();
    }

    @Override
    public Resolution resolve(Target target) throws AccretionException {
      List<ResolvedPackage> packages = new ArrayList<>();
      for (String[] l : lines()) {
        String name = l[0];
        String version = l[1];
        String digest = "sha256";
        boolean keep = true;
        boolean conflict = false;
        for (int i = 2; i < l.length; i++) {
          if (l[i].startsWith("digest=")) {
            digest = l[i].substring(7);
          } else if (l[i].startsWith("only=")) {
            keep = target.runtime().id().equals(l[i].substring(5));
          } else if (l[i].equals("conflict")) {
            conflict = true;
          }
        }
        if (!keep) {
          continue;
        }
        if (conflict) {
          throw new AccretionException(FailureKind.CONFLICT, name + " has no solution");
        }
        Path file = input.listing().getParent().resolve("files/" + name + "-" + version + ".pkg");
        byte[] content;
        try {
          content = Files.readAllBytes(file);
        } catch (IOException e) {
          throw new AccretionException(FailureKind.NOT_FOUND, "no file " + file, e);
        }
        List<Digest> digests =
            switch (digest) {
              case "sha512" -> List.of(new Digest("sha512", sha(content, "SHA-512")));
              case "none" -> List.of();
              case "wrong" -> List.of(Digest.sha256("00".repeat(32)));
              default -> List.of(Digest.sha256(sha(content, "SHA-256")));
            };
        PackageSource source =
            new PackageSource(
                file.toUri(),
                file.getFileName().toString(),
                digests,
                OptionalLong.of(content.length),
                "the fake index");
        packages.add(
            new ResolvedPackage(
                "generic",
                name,
                version,
                "pkg:generic/" + name + "@" + version,
                source,
                List.of(),
                Map.of("flavour", "plain"),
                List.of("listing")));
      }
      return new Resolution(target, packages, List.of(), List.of(), packages, Map.of("rounds", 1));
    }

    @Override
    public void download(PackageSource source, OutputStream out, LongConsumer progress)
        throws AccretionException {
      downloads.incrementAndGet();
      try {
        inFlight.enter();
        byte[] content = Files.readAllBytes(Path.of(source.url()));
        out.write(content);
        progress.accept(content.length);
      } catch (IOException e) {
        throw new AccretionException(FailureKind.UNREACHABLE, "cannot read " + source.url(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AccretionException(FailureKind.FAILED, "interrupted", e);
      } finally {
        inFlight.exit();
      }
    }

    @Override
    public int fetchConcurrency() {
      return fetchConcurrency > 0 ? fetchConcurrency : BuildSession.super.fetchConcurrency();
    }

    @Override
    public OptionalLong declaredSize(
        ResolvedPackage pkg, Path blob, ZipLimits limits, Target target, Placement placement)
        throws AccretionException {
      try {
        return OptionalLong.of(Files.size(blob));
      } catch (IOException e) {
        throw new AccretionException(FailureKind.FAILED, "cannot read " + blob, e);
      }
    }

    @Override
    public OpenedPackage open(ResolvedPackage pkg, Path blob, ZipLimits limits)
        throws AccretionException {
      String text;
      try {
        text = Files.readString(blob);
      } catch (IOException e) {
        throw new AccretionException(FailureKind.FAILED, "cannot read " + blob, e);
      }
      if (text.startsWith("HOSTILE")) {
        throw new AccretionException(
            FailureKind.REFUSED, "fake package " + pkg.source().filename() + " is hostile");
      }
      return new OpenedPackage() {
        @Override
        public ResolvedPackage pkg() {
          return pkg;
        }

        @Override
        public String license() {
          return "MIT";
        }

        @Override
        public boolean licenseIsExpression() {
          return true;
        }

        @Override
        public String platformClaim() {
          return "the fake platform claim";
        }

        @Override
        public Map<String, Object> facts() {
          return Map.of("lines", text.split("\n").length);
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
          return text;
        }
      };
    }

    @Override
    public InstalledPackage install(OpenedPackage pkg, Target target, Placement placement) {
      List<LayerFile> files = new ArrayList<>();
      for (String line : pkg.toString().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.split("\t", 2);
        String path = parts[0];
        boolean compressed = path.startsWith("*");
        if (compressed) {
          path = path.substring(1);
        }
        ElfInfo elf = null;
        if (path.contains(".so@")) {
          String[] p = path.split("@");
          path = p[0];
          int machine = p[1].equals("arm64") ? ElfInfo.EM_AARCH64 : ElfInfo.EM_X86_64;
          elf =
              new ElfInfo(
                  64,
                  ByteOrder.LITTLE_ENDIAN,
                  machine,
                  3,
                  List.of("libc.so.6"),
                  List.of(new ElfInfo.VersionNeed("libc.so.6", p[2])));
        }
        byte[] content =
            parts[1].replace("{runtime}", target.runtime().id()).getBytes(StandardCharsets.UTF_8);
        files.add(
            new LayerFile(
                "fake/" + path,
                false,
                sha(content, "SHA-256"),
                content.length,
                compressed ? new LayerFile.Compressed(content) : new LayerFile.Stored(content),
                elf));
      }
      return new InstalledPackage(pkg, files, List.of(), List.of());
    }

    @Override
    public Optional<LockFile> lockFile(Resolution resolution, String layerName, FileFacts facts)
        throws AccretionException {
      StringBuilder text = new StringBuilder();
      for (ResolvedPackage p : resolution.packages()) {
        text.append(p.name())
            .append(' ')
            .append(p.version())
            .append(' ')
            .append(facts.sha256(p.source()))
            .append('\n');
      }
      String target =
          resolution.target().runtime().id().replace(".", "")
              + "-"
              + resolution.target().architecture().lambdaName();
      String name =
          layerName == null
              ? "fake." + target + ".lock"
              : "fake." + layerName + "-" + target + ".lock";
      return Optional.of(
          new LockFile(name, "fake", text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {}
  }
}
