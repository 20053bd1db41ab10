package example;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * A plug-in builder of static data files, built by the tests into its own jar: a listing
 * {@code *.static} names one file per line, {@code layer/path = file} (relative to the listing),
 * and each becomes a STORED layer file. It declares one package, {@code static-data 1.0}.
 */
public final class StaticFilesBuilder implements Builder {
  static final ListingFormat FORMAT =
      new ListingFormat("static-files", "static data files (layer/path = file)", List.of("*.static"), false);

  @Override
  public String id() {
    return "static-files";
  }

  @Override
  public Set<Language> languages() {
    return Set.of();
  }

  @Override
  public List<ListingFormat> formats() {
    return List.of(FORMAT);
  }

  @Override
  public Optional<ListingFormat> detect(Path listing) {
    return listing.getFileName() != null && listing.getFileName().toString().endsWith(".static")
        ? Optional.of(FORMAT)
        : Optional.empty();
  }

  @Override
  public BuildSession open(BuildInput input) throws AccretionException {
    input.options().checkKeys(id(), Set.of());
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(input.listing());
    } catch (IOException e) {
      throw new AccretionException(FailureKind.NOT_FOUND, "cannot read " + input.listing());
    }
    List<LayerFile> files = new ArrayList<>();
    String[] lines = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new AccretionException(
            FailureKind.BAD_INPUT, input.listing() + ":" + (i + 1) + ": expected 'layer/path = file'");
      }
      Path file = input.listing().getParent().resolve(line.substring(eq + 1).strip());
      try {
        byte[] content = Files.readAllBytes(file);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        files.add(
            new LayerFile(
                line.substring(0, eq).strip(), false, sha, content.length, new LayerFile.Stored(content), null));
      } catch (IOException | java.security.NoSuchAlgorithmException e) {
        throw new AccretionException(FailureKind.NOT_FOUND, "cannot read " + file);
      }
    }
    Path listing = input.listing();
    return new BuildSession() {
      @Override
      public String builderId() {
        return "static-files";
      }

      @Override
      public Path listing() {
        return listing;
      }

      @Override
      public ListingFormat format() {
        return FORMAT;
      }

      @Override
      public byte[] listingBytes() {
        return bytes.clone();
      }

      @Override
      public String defaultName() {
        return "static-data";
      }

      @Override
      public Optional<String> selectorText() {
        StringBuilder b = new StringBuilder("static-files 1\n");
        files.forEach(f -> b.append(f.path()).append(' ').append(f.sha256()).append('\n'));
        return Optional.of(b.toString());
      }

      @Override
      public List<String> notes() {
        return List.of();
      }

      @Override
      public Resolution resolve(Target target) {
        return new Resolution(
            target,
            List.of(
                new ResolvedPackage(
                    "generic", "static-data", "1.0", "pkg:generic/static-data@1.0", null, List.of(), Map.of())),
            List.of(),
            List.of(),
            null);
      }

      @Override
      public void download(PackageSource source, OutputStream out, LongConsumer progress)
          throws AccretionException {
        throw new AccretionException(FailureKind.FAILED, "nothing to download");
      }

      @Override
      public OpenedPackage open(ResolvedPackage pkg, Path blob, ZipLimits limits) {
        return new OpenedPackage() {
          @Override
          public ResolvedPackage pkg() {
            return pkg;
          }

          @Override
          public String license() {
            return "CC0-1.0";
          }

          @Override
          public boolean licenseIsExpression() {
            return true;
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public InstalledPackage install(OpenedPackage pkg, Target target, Placement placement) {
        return new InstalledPackage(pkg, List.of(), List.of(), List.of());
      }

      @Override
      public List<LayerFile> extraFiles(Target target, Placement placement) {
        return files;
      }

      @Override
      public Optional<LockFile> lockFile(Resolution resolution, String layerName, FileFacts facts) {
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }
}
