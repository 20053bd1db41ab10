package dev.accretion.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.ChecksumFailureException;
import org.eclipse.aether.transfer.RepositoryOfflineException;

/** Maps Maven Resolver failures onto Accretion's failure kinds, with messages for users. */
final class ResolverFailures {
  private ResolverFailures() {}

  /**
   * A failure for {@code what} (e.g. "resolving pom.xml for java21") caused by {@code e}: {@link
   * FailureKind#REFUSED} for a checksum mismatch, {@link FailureKind#NOT_FOUND} for a missing
   * artifact (or one not in the local repository when offline), {@link FailureKind#UNREACHABLE} for
   * a repository that could not be read (network, authentication), else {@link FailureKind#FAILED}.
   */
  static AccretionException of(String what, Throwable e, boolean offline) {
    List<Throwable> chain = chain(e);
    for (Throwable t : chain) {
      if (t instanceof ChecksumFailureException) {
        return new AccretionException(
            FailureKind.REFUSED,
            what + ": checksum mismatch: " + messages(chain),
            "the repository's file does not match its published checksum; nothing was used."
                + " Report it to the repository's owner, or check for a proxy that rewrites files",
            null);
      }
    }
    String text = messages(chain);
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("blocked mirror")) {
      return new AccretionException(
          FailureKind.UNREACHABLE,
          what + ": " + text,
          "Maven blocks plain-http repositories other than localhost; use https, or declare a"
              + " <mirror> for that repository id in settings.xml",
          null);
    }
    if (lower.matches("(?s).*(status code|http status): ?40[13]\\b.*")
        || lower.contains("unauthorized")
        || lower.contains("forbidden")) {
      return new AccretionException(
          FailureKind.UNREACHABLE,
          what + ": " + text,
          "the repository refused the request: give its credentials in settings.xml as a"
              + " <server> whose <id> is the repository id",
          null);
    }
    for (Throwable t : chain) {
      if (t instanceof RepositoryOfflineException) {
        return new AccretionException(
            FailureKind.NOT_FOUND,
            what + ": " + text,
            "working offline (settings.xml <offline> or the offline option) and the file is not"
                + " in the local repository; build once online",
            null);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ArtifactNotFoundException) {
        return new AccretionException(
            FailureKind.NOT_FOUND,
            what + ": " + text,
            offline
                ? "working offline and it is not in the local repository; build once online"
                : "check the coordinates and version, or add the repository that has it (the"
                    + " pom's <repositories>, a settings.xml profile, or the repository option)",
            null);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ArtifactTransferException) {
        return new AccretionException(
            FailureKind.UNREACHABLE,
            what + ": " + text,
            "check the network, proxies (settings.xml <proxies>) and the repository URL",
            null);
      }
    }
    return new AccretionException(FailureKind.FAILED, what + ": " + text, e);
  }

  static List<Throwable> chain(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    collect(e, chain, seen);
    return chain;
  }

  private static void collect(Throwable e, List<Throwable> chain, Set<Throwable> seen) {
    while (e != null && seen.add(e)) {
      chain.add(e);
      for (Throwable s : e.getSuppressed()) {
        collect(s, chain, seen);
      }
      if (e instanceof org.eclipse.aether.resolution.ArtifactResolutionException are) {
        for (var r : are.getResults()) {
          for (Exception x : r.getExceptions()) {
            collect(x, chain, seen);
          }
        }
      }
      e = e.getCause();
    }
  }

  /** The distinct messages of a chain, joined. */
  static String messages(List<Throwable> chain) {
    Set<String> out = new LinkedHashSet<>();
    for (Throwable t : chain) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        String m = t.getMessage().strip();
        boolean contained = false;
        for (String o : out) {
          if (o.contains(m)) {
            contained = true;
            break;
          }
        }
        if (!contained) {
          out.add(m);
        }
      }
    }
    return String.join("; ", out);
  }
}
