package dev.accretion.command;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Language;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.ListingFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command builder ({@code command}), modelled on SAM's makefile builder: the user's command
 * builds the layer's content from a source folder, and the pipeline does the rest (reproducible
 * zip, ELF and size checks, manifest, SBOM, publish only on change). Chosen only by name ({@code
 * builder = "command"} in {@code accretion.toml}); it never detects a listing. Stateless and
 * thread-safe.
 *
 * <p>For each target, Accretion copies the source folder to a fresh temporary folder and runs the
 * command there (argv as given: no shell unless the command names one), with a scrubbed
 * environment: {@code ARTIFACTS_DIR} (an empty folder that becomes the layer's content), {@code
 * ACCRETION_RUNTIME}, {@code ACCRETION_ARCH}, {@code ACCRETION_LANGUAGE}, {@code
 * ACCRETION_LAYER_PATH} (where the runtime looks in a layer: {@code python}, {@code
 * nodejs/node_modules}, {@code java/lib}), {@code HOME} and {@code TMPDIR} (fresh folders), {@code
 * PATH}, {@code LANG}/{@code LC_ALL} {@code C.UTF-8}, {@code TZ} {@code UTC}, {@code
 * SOURCE_DATE_EPOCH} (1980-01-01), and the variables {@code pass-env} names. Its output is streamed
 * as {@link dev.accretion.pipeline.spi.BuildEvent.Output}. A command that fails or runs past the
 * timeout fails the build with its exit code and the tail of its output. Only regular files inside
 * {@code ARTIFACTS_DIR} go into the layer (a symbolic link is refused); an optional {@code
 * ARTIFACTS_DIR/.accretion-packages.json} declares the packages the manifest lists, and is
 * validated and removed.
 *
 * <p>Options: {@code command} (the argv, required), {@code timeout} (seconds, default 900), {@code
 * pass-env} (names of environment variables to pass, repeatable).
 */
public final class CommandBuilder implements Builder {

  /** The builder id. */
  public static final String ID = "command";

  static final ListingFormat SOURCE =
      new ListingFormat(
          "command-source",
          "a source folder built by a command (builder = \"command\", command = [...])",
          List.of(),
          false);

  static final Set<String> OPTIONS = Set.of("command", "timeout", "pass-env");

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(900);

  /** For {@link java.util.ServiceLoader}. */
  public CommandBuilder() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Language> languages() {
    return Set.of();
  }

  @Override
  public List<ListingFormat> formats() {
    return List.of(SOURCE);
  }

  @Override
  public Optional<ListingFormat> detect(Path listing) {
    return Optional.empty();
  }

  @Override
  public BuildSession open(BuildInput input) throws AccretionException {
    input.options().checkKeys(ID, OPTIONS);
    List<String> command = input.options().list("command");
    if (command.isEmpty() || command.get(0).isBlank()) {
      throw new AccretionException(
          FailureKind.USAGE,
          "the command builder needs a command",
          "give command = [\"make\", \"layer\"] (argv; use [\"sh\", \"-c\", \"...\"] for a"
              + " shell)",
          null);
    }
    Path source = input.listing();
    if (!Files.isDirectory(source)) {
      throw new AccretionException(
          Files.exists(source) ? FailureKind.BAD_INPUT : FailureKind.NOT_FOUND,
          "the command builder's source " + source + " is not a folder",
          "give source = \"<folder>\" (the folder the command runs in, copied first)",
          null);
    }
    Duration timeout = DEFAULT_TIMEOUT;
    Optional<String> t = input.options().string("timeout");
    if (t.isPresent()) {
      try {
        long seconds = Long.parseLong(t.get().strip());
        if (seconds <= 0) {
          throw new NumberFormatException();
        }
        timeout = Duration.ofSeconds(seconds);
      } catch (NumberFormatException e) {
        throw new AccretionException(
            FailureKind.USAGE,
            "option timeout is a number of seconds above 0, got '" + t.get() + "'",
            null,
            null);
      }
    }
    for (String name : input.options().list("pass-env")) {
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new AccretionException(
            FailureKind.USAGE,
            "option pass-env names environment variables, got '" + name + "'",
            null,
            null);
      }
    }
    return new CommandSession(
        source, command, timeout, input.options().list("pass-env"), input.context());
  }

  @Override
  public Optional<Set<String>> optionKeys() {
    return Optional.of(OPTIONS);
  }
}
