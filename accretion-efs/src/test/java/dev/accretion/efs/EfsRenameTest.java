package dev.accretion.efs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renaming a finished folder into place when another installer got there first. */
class EfsRenameTest {
  @TempDir Path dir;

  @Test
  void aFinishedFolderAlreadyThere_wins_andOursIsRemoved() throws Exception {
    Path target = Files.createDirectories(dir.resolve("views/abc"));
    Files.writeString(target.resolve("theirs"), "1");
    Path tmp = Files.createDirectories(dir.resolve("views/.abc.tmp-1"));
    Files.writeString(tmp.resolve("ours"), "2");

    assertThat(EfsInstaller.rename(tmp, target)).isFalse();

    assertThat(tmp).doesNotExist();
    assertThat(target.resolve("theirs")).hasContent("1");
    assertThat(target.resolve("ours")).doesNotExist();
  }

  @Test
  void nothingThere_theFolderMovesIntoPlace() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve(".v.tmp-1"));
    Files.writeString(tmp.resolve("f"), "x");
    Path target = dir.resolve("v");

    assertThat(EfsInstaller.rename(tmp, target)).isTrue();

    assertThat(target.resolve("f")).hasContent("x");
    assertThat(tmp).doesNotExist();
  }
}
