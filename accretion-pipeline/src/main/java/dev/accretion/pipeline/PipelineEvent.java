package dev.accretion.pipeline;

import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the layer pipeline itself reports while it works, beside the {@link BuildEvent}s builders
 * report (warnings, resolution, output). File names are package file names (a wheel, a tarball) or
 * artifact file names.
 */
public interface PipelineEvent extends BuildEvent {

  /**
   * The selector cache had this build: its files were copied from the cache, nothing was resolved
   * or assembled.
   *
   * @param built when the cached build was made
   * @param alreadyInPlace how many of the files the output folder already held, byte for byte (left
   *     alone, not copied)
   */
  record CacheHit(String selectorKey, Instant built, List<String> files, int alreadyInPlace)
      implements PipelineEvent {
    public CacheHit {
      Objects.requireNonNull(selectorKey, "selectorKey");
      Objects.requireNonNull(built, "built");
      files = List.copyOf(files);
      if (alreadyInPlace < 0 || alreadyInPlace > files.size()) {
        throw new IllegalArgumentException("alreadyInPlace " + alreadyInPlace);
      }
    }
  }

  /** The build runs; {@code reason} says why the cache could not answer. */
  record CacheMiss(String selectorKey, String reason) implements PipelineEvent {
    public CacheMiss {
      Objects.requireNonNull(selectorKey, "selectorKey");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Fetching starts: {@code files} distinct package files, {@code knownBytes} bytes in those whose
   * size the source declared.
   */
  record FetchPlanned(int files, long knownBytes) implements PipelineEvent {}

  /** A file is being downloaded (it is not in the cache); {@code size} is -1 when unknown. */
  record FetchStarted(String file, long size) implements PipelineEvent {
    public FetchStarted {
      Objects.requireNonNull(file, "file");
    }
  }

  /** Bytes of a file received so far. */
  record FetchProgress(String file, long bytes, long size) implements PipelineEvent {
    public FetchProgress {
      Objects.requireNonNull(file, "file");
    }
  }

  /** A file is in the cache, verified; {@code fromCache} when no download was needed. */
  record FetchFinished(String file, long bytes, boolean fromCache) implements PipelineEvent {
    public FetchFinished {
      Objects.requireNonNull(file, "file");
    }
  }

  /** A package file was opened and verified by its builder: {@code done} of {@code total}. */
  record Opened(String file, int done, int total) implements PipelineEvent {
    public Opened {
      Objects.requireNonNull(file, "file");
    }
  }

  /**
   * Targets could not share one zip: {@code differences} says, one line each, what differs between
   * the groups of targets that did (files, packages, notes).
   */
  record Split(List<List<Target>> groups, List<String> differences) implements PipelineEvent {
    public Split {
      groups = groups.stream().map(List::copyOf).toList();
      differences = List.copyOf(differences);
    }
  }

  /** An artifact is being written for {@code targets}. */
  record Assembling(String artifact, List<Target> targets) implements PipelineEvent {
    public Assembling {
      Objects.requireNonNull(artifact, "artifact");
      targets = List.copyOf(targets);
    }
  }

  /** An artifact and its side files were written. */
  record Written(BuiltArtifact artifact) implements PipelineEvent {
    public Written {
      Objects.requireNonNull(artifact, "artifact");
    }
  }

  /**
   * Partial files that a killed build left in the output folder (their writing process is gone)
   * were removed.
   */
  record LeftoversRemoved(List<Path> files) implements PipelineEvent {
    public LeftoversRemoved {
      files = List.copyOf(files);
    }
  }
}
