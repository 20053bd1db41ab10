package dev.accretion.python.layer;

import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.runtime.Target;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something a layer build did, reported to a {@link LayerBuildListener}: the CLI draws progress
 * from these, a server keeps them as the build log. File names are wheel or artifact file names.
 */
public sealed interface LayerBuildEvent {

  /**
   * The selector cache had this build: its files were copied from the cache, nothing was resolved
   * or assembled.
   *
   * @param built when the cached build was made
   */
  record CacheHit(String selectorKey, Instant built, List<String> files)
      implements LayerBuildEvent {
    public CacheHit {
      Objects.requireNonNull(selectorKey, "selectorKey");
      Objects.requireNonNull(built, "built");
      files = List.copyOf(files);
    }
  }

  /** The build runs; {@code reason} says why the cache could not answer. */
  record CacheMiss(String selectorKey, String reason) implements LayerBuildEvent {
    public CacheMiss {
      Objects.requireNonNull(selectorKey, "selectorKey");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Resolution of the listing for {@code target} starts. */
  record Resolving(Target target) implements LayerBuildEvent {
    public Resolving {
      Objects.requireNonNull(target, "target");
    }
  }

  /** Resolution for {@code target} finished with {@code packages} packages. */
  record Resolved(Target target, int packages, long millis) implements LayerBuildEvent {
    public Resolved {
      Objects.requireNonNull(target, "target");
    }
  }

  /**
   * Fetching starts: {@code files} distinct wheels, {@code knownBytes} bytes in those whose size
   * the index gave.
   */
  record FetchPlanned(int files, long knownBytes) implements LayerBuildEvent {}

  /** A wheel is being downloaded (not in the cache); {@code size} is -1 when unknown. */
  record FetchStarted(String file, long size) implements LayerBuildEvent {
    public FetchStarted {
      Objects.requireNonNull(file, "file");
    }
  }

  /** Bytes of a wheel received so far. */
  record FetchProgress(String file, long bytes, long size) implements LayerBuildEvent {
    public FetchProgress {
      Objects.requireNonNull(file, "file");
    }
  }

  /** A wheel is in the cache, verified; {@code fromCache} when no download was needed. */
  record FetchFinished(String file, long bytes, boolean fromCache) implements LayerBuildEvent {
    public FetchFinished {
      Objects.requireNonNull(file, "file");
    }
  }

  /** A wheel was verified (structure, RECORD, ELF): {@code done} of {@code total}. */
  record Inspected(String file, int done, int total) implements LayerBuildEvent {
    public Inspected {
      Objects.requireNonNull(file, "file");
    }
  }

  /** An artifact is being written for {@code targets}. */
  record Assembling(String artifact, List<Target> targets) implements LayerBuildEvent {
    public Assembling {
      Objects.requireNonNull(artifact, "artifact");
      targets = List.copyOf(targets);
    }
  }

  /** An artifact and its side files were written. */
  record Written(BuiltArtifact artifact) implements LayerBuildEvent {
    public Written {
      Objects.requireNonNull(artifact, "artifact");
    }
  }

  /** Something the user should know that did not stop the build, one line. */
  record Warning(String message) implements LayerBuildEvent {
    public Warning {
      Objects.requireNonNull(message, "message");
    }
  }
}
