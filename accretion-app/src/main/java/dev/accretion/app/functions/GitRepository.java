package dev.accretion.app.functions;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * A git repository read in-process with JGit (no {@code git} executable): the tree id of a folder
 * at HEAD (its revision), which folders have uncommitted changes, the files of a folder at HEAD,
 * and the repository's identity from its remote URL. Not thread-safe; open, read, close.
 */
final class GitRepository implements AutoCloseable {
  private final Repository repository;
  private final Path root;
  private final ObjectId headTree;
  private Status status;

  private GitRepository(Repository repository, ObjectId headTree) {
    this.repository = repository;
    this.root = repository.getWorkTree().toPath().toAbsolutePath().normalize();
    this.headTree = headTree;
  }

  /**
   * Opens the repository whose working tree holds {@code directory} (searching its parents).
   *
   * @throws AccretionException (bad input) when it is not in a git working tree or HEAD has no
   *     commit
   */
  static GitRepository open(Path directory) throws AccretionException {
    if (!Files.isDirectory(directory)) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "repository folder " + directory + " does not exist",
          "give the folder of a git repository (default: the working directory)",
          null);
    }
    Repository repository;
    try {
      FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(directory.toFile());
      if (builder.getGitDir() == null) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            directory + " is not inside a git repository",
            "functions sync names functions and revisions after git: run it in a git working"
                + " tree (git init, commit the function folders)",
            null);
      }
      repository = builder.setMustExist(true).build();
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, "cannot open the git repository of " + directory + ": " + e, e);
    }
    if (repository.isBare()) {
      repository.close();
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          directory + " is a bare git repository",
          "run functions sync in a working tree",
          null);
    }
    ObjectId tree;
    try {
      tree = repository.resolve(Constants.HEAD + "^{tree}");
    } catch (IOException e) {
      repository.close();
      throw new AccretionException(
          FailureKind.BAD_INPUT, "cannot read HEAD of " + directory + ": " + e, e);
    }
    if (tree == null) {
      repository.close();
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "the git repository of " + directory + " has no commit yet",
          "commit the function folders first",
          null);
    }
    return new GitRepository(repository, tree);
  }

  /** The working tree's root folder. */
  Path root() {
    return root;
  }

  /** The URL of remote {@code origin}, else of the first remote, if any. */
  Optional<String> remoteUrl() {
    var config = repository.getConfig();
    String origin = config.getString("remote", "origin", "url");
    if (origin != null && !origin.isBlank()) {
      return Optional.of(origin.strip());
    }
    for (String name : new TreeSet<>(config.getSubsections("remote"))) {
      String url = config.getString("remote", name, "url");
      if (url != null && !url.isBlank()) {
        return Optional.of(url.strip());
      }
    }
    return Optional.empty();
  }

  /**
   * The tree id (40 hex digits) of {@code path} at HEAD: it changes exactly when a commit changes
   * something under the folder.
   *
   * @return empty when HEAD has no folder there
   */
  Optional<String> treeId(String path) throws AccretionException {
    try (TreeWalk walk = TreeWalk.forPath(repository, path, headTree)) {
      if (walk == null || walk.getFileMode(0) != FileMode.TREE) {
        return Optional.empty();
      }
      return Optional.of(walk.getObjectId(0).name());
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot read " + path + " at HEAD in " + root + ": " + e, e);
    }
  }

  /**
   * Paths under {@code folder} that differ from HEAD: modified, added, removed, missing,
   * conflicting, or untracked and not ignored. Sorted.
   */
  List<String> uncommitted(String folder) throws AccretionException {
    Status s = status();
    Set<String> all = new TreeSet<>();
    all.addAll(s.getUncommittedChanges());
    all.addAll(s.getUntracked());
    all.addAll(s.getConflicting());
    String prefix = folder + "/";
    List<String> out = new ArrayList<>();
    for (String p : all) {
      if (p.startsWith(prefix)) {
        out.add(p);
      }
    }
    return out;
  }

  private Status status() throws AccretionException {
    if (status == null) {
      try (Git git = new Git(repository)) {
        status = git.status().call();
      } catch (GitAPIException | RuntimeException e) {
        throw new AccretionException(
            FailureKind.FAILED, "cannot read the git status of " + root + ": " + e, e);
      }
    }
    return status;
  }

  /** A file of a folder: its path inside the folder, whether executable, and its bytes. */
  record SourceFile(String path, boolean executable, byte[] content) {}

  /**
   * The files of {@code folder} as committed at HEAD (symbolic links and submodules are left out: a
   * zip for Lambda holds files), paths relative to the folder.
   */
  List<SourceFile> filesAtHead(String folder) throws AccretionException {
    List<SourceFile> out = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(headTree);
      walk.setRecursive(true);
      walk.setFilter(PathFilter.create(folder));
      while (walk.next()) {
        FileMode mode = walk.getFileMode(0);
        if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
          continue;
        }
        String path = walk.getPathString().substring(folder.length() + 1);
        byte[] bytes = repository.open(walk.getObjectId(0)).getBytes(Integer.MAX_VALUE - 8);
        out.add(new SourceFile(path, mode == FileMode.EXECUTABLE_FILE, bytes));
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot read " + folder + " at HEAD in " + root + ": " + e, e);
    }
    return out;
  }

  /**
   * The files of {@code folder} as they are in the working tree: HEAD's files as changed, without
   * the deleted ones, plus untracked files git does not ignore (for {@code --allow-dirty}).
   */
  List<SourceFile> filesInWorkingTree(String folder) throws AccretionException {
    Set<String> paths = new TreeSet<>();
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(headTree);
      walk.setRecursive(true);
      walk.setFilter(PathFilter.create(folder));
      while (walk.next()) {
        paths.add(walk.getPathString());
      }
    } catch (IOException e) {
      throw new AccretionException(FailureKind.FAILED, "cannot read " + folder + ": " + e, e);
    }
    Status s = status();
    String prefix = folder + "/";
    for (String p : s.getAdded()) {
      if (p.startsWith(prefix)) {
        paths.add(p);
      }
    }
    for (String p : s.getUntracked()) {
      if (p.startsWith(prefix)) {
        paths.add(p);
      }
    }
    List<SourceFile> out = new ArrayList<>();
    for (String p : paths) {
      Path file = root.resolve(p);
      if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        out.add(
            new SourceFile(
                p.substring(prefix.length()), Files.isExecutable(file), Files.readAllBytes(file)));
      } catch (IOException e) {
        throw new AccretionException(FailureKind.FAILED, "cannot read " + file + ": " + e, e);
      }
    }
    return out;
  }

  /**
   * A remote URL in one form for every way of writing it: no scheme, user, password or port, the
   * host in lower case, no trailing {@code .git} or slash. {@code git@github.com:Acme/Shop.git},
   * {@code https://token@github.com/Acme/Shop} and {@code ssh://git@github.com:22/Acme/Shop.git/}
   * all give {@code github.com/Acme/Shop}. A local path stays a path.
   */
  static String normalizeRemote(String url) {
    String u = url.strip();
    String host;
    String path;
    int scheme = u.indexOf("://");
    if (scheme > 0) {
      try {
        URI uri = new URI(u);
        if (uri.getHost() == null) {
          host = "";
          path = uri.getPath() == null ? "" : uri.getPath();
        } else {
          host = uri.getHost();
          path = uri.getPath() == null ? "" : uri.getPath();
        }
      } catch (URISyntaxException e) {
        String rest = u.substring(scheme + 3);
        int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        rest = at >= 0 ? rest.substring(at + 1) : rest;
        int slash = rest.indexOf('/');
        host = slash < 0 ? rest : rest.substring(0, slash);
        int colon = host.indexOf(':');
        host = colon < 0 ? host : host.substring(0, colon);
        path = slash < 0 ? "" : rest.substring(slash);
      }
    } else if (u.matches("^[^/]*@?[^/:]+:.*") && !u.matches("^[a-zA-Z]:[\\\\/].*")) {
      // scp-like syntax: [user@]host:path
      int colon = u.indexOf(':');
      String userHost = u.substring(0, colon);
      int at = userHost.lastIndexOf('@');
      host = at >= 0 ? userHost.substring(at + 1) : userHost;
      path = "/" + u.substring(colon + 1);
    } else {
      host = "";
      path = u;
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - 4);
    }
    while (path.startsWith("//")) {
      path = path.substring(1);
    }
    if (host.isEmpty()) {
      return path;
    }
    return host.toLowerCase(Locale.ROOT) + (path.startsWith("/") ? path : "/" + path);
  }

  @Override
  public void close() {
    repository.close();
  }
}
