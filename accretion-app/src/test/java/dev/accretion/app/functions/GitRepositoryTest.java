package dev.accretion.app.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.app.Environment;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revisions, dirty checks and identities of a repository the test makes with JGit. */
class GitRepositoryTest {
  @TempDir Path dir;

  private Git init(Path root) throws Exception {
    Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call();
    StoredConfig config = git.getRepository().getConfig();
    config.setString("user", null, "name", "test");
    config.setString("user", null, "email", "test@example.com");
    config.setBoolean("commit", null, "gpgsign", false);
    config.save();
    return git;
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static void commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    git.commit().setMessage(message).setSign(false).call();
  }

  @Test
  void treeId_changesOnlyWithTheFolder() throws Exception {
    Path root = dir.resolve("repo");
    try (Git git = init(root)) {
      write(root.resolve("svc/a/app.py"), "def handler(e, c):\n    return 1\n");
      write(root.resolve("svc/b/app.py"), "def handler(e, c):\n    return 2\n");
      write(root.resolve("README.md"), "hello\n");
      commit(git, "one");
      String a1;
      String b1;
      try (GitRepository repo = GitRepository.open(root.resolve("svc"))) {
        assertThat(repo.root()).isEqualTo(root.toAbsolutePath().normalize());
        a1 = repo.treeId("svc/a").orElseThrow();
        b1 = repo.treeId("svc/b").orElseThrow();
        assertThat(a1).matches("[0-9a-f]{40}");
        assertThat(repo.treeId("svc/missing")).isEmpty();
        assertThat(repo.treeId("README.md")).as("a file is not a folder").isEmpty();
      }
      write(root.resolve("README.md"), "changed outside every folder\n");
      commit(git, "two");
      try (GitRepository repo = GitRepository.open(root)) {
        assertThat(repo.treeId("svc/a")).contains(a1);
        assertThat(repo.treeId("svc/b")).contains(b1);
      }
      write(root.resolve("svc/a/app.py"), "def handler(e, c):\n    return 3\n");
      commit(git, "three");
      try (GitRepository repo = GitRepository.open(root)) {
        assertThat(repo.treeId("svc/a")).isPresent().get().isNotEqualTo(a1);
        assertThat(repo.treeId("svc/b")).contains(b1);
        assertThat(repo.filesAtHead("svc/a"))
            .singleElement()
            .satisfies(f -> assertThat(new String(f.content())).contains("return 3"));
      }
    }
  }

  @Test
  void uncommitted_namesChangedAndUntrackedFilesOfTheFolderOnly() throws Exception {
    Path root = dir.resolve("repo");
    try (Git git = init(root)) {
      write(root.resolve("a/app.py"), "x = 1\n");
      write(root.resolve("b/app.py"), "x = 1\n");
      write(root.resolve(".gitignore"), "*.log\n");
      commit(git, "one");
      write(root.resolve("a/app.py"), "x = 2\n");
      write(root.resolve("a/new.py"), "y = 1\n");
      write(root.resolve("a/debug.log"), "ignored\n");
      write(root.resolve("top.txt"), "outside\n");
      try (GitRepository repo = GitRepository.open(root)) {
        assertThat(repo.uncommitted("a")).containsExactly("a/app.py", "a/new.py");
        assertThat(repo.uncommitted("b")).isEmpty();
        assertThat(repo.filesInWorkingTree("a"))
            .extracting(GitRepository.SourceFile::path)
            .containsExactly("app.py", "new.py");
        assertThat(repo.filesAtHead("a"))
            .singleElement()
            .satisfies(f -> assertThat(new String(f.content())).isEqualTo("x = 1\n"));
      }
    }
  }

  @Test
  void sync_refusesUncommittedChangesBeforeAnyAwsCall() throws Exception {
    Path root = dir.resolve("repo");
    try (Git git = init(root)) {
      write(
          root.resolve("accretion.toml"),
          """
          [repository]
          name = "acme/shop"
          [functions."svc/a"]
          runtime = "python3.11"
          handler = "app.handler"
          role = "arn:aws:iam::123456789012:role/r"
          """);
      write(root.resolve("svc/a/app.py"), "x = 1\n");
      commit(git, "one");
      write(root.resolve("svc/a/app.py"), "x = 2\n");
    }
    // no AWS settings at all: the refusal must come first
    Environment env = Environment.of(Map.of("HOME", dir.toString()), root);
    assertThatThrownBy(
            () ->
                new SyncFunctions(env)
                    .sync(SyncFunctions.Request.of(null, List.of(), AwsAccess.fromEnvironment())))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
              assertThat(e.problem()).contains("uncommitted changes in svc/a (svc/a/app.py)");
              assertThat(e.advice()).contains("--allow-dirty");
            });
  }

  @Test
  void sync_withoutRemoteOrName_asksForAnIdentity() throws Exception {
    Path root = dir.resolve("repo");
    try (Git git = init(root)) {
      write(
          root.resolve("accretion.toml"),
          """
          [functions."a"]
          runtime = "nodejs20.x"
          handler = "index.handler"
          role = "arn:aws:iam::123456789012:role/r"
          """);
      write(root.resolve("a/index.js"), "exports.handler = async () => 1;\n");
      commit(git, "one");
    }
    Environment env = Environment.of(Map.of("HOME", dir.toString()), root);
    assertThatThrownBy(
            () ->
                new SyncFunctions(env)
                    .sync(SyncFunctions.Request.of(null, List.of(), AwsAccess.fromEnvironment())))
        .hasMessageContaining("has no remote and accretion.toml no [repository] name")
        .hasMessageContaining("git remote add origin");
  }

  @Test
  void open_outsideARepository_saysSo() {
    assertThatThrownBy(() -> GitRepository.open(dir))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> assertThat(e.problem()).contains("is not inside a git repository"));
  }

  @Test
  void normalizeRemote_givesOneFormForEveryWayOfWritingIt() {
    for (String url :
        List.of(
            "git@GitHub.com:Acme/Shop.git",
            "https://github.com/Acme/Shop",
            "https://token:x-oauth@github.com/Acme/Shop.git/",
            "ssh://git@github.com:22/Acme/Shop.git",
            "git://github.com/Acme/Shop.git")) {
      assertThat(GitRepository.normalizeRemote(url)).as(url).isEqualTo("github.com/Acme/Shop");
    }
    assertThat(GitRepository.normalizeRemote("/srv/git/shop.git")).isEqualTo("/srv/git/shop");
    assertThat(GitRepository.normalizeRemote("file:///srv/git/shop.git/"))
        .isEqualTo("/srv/git/shop");
  }
}
