package dev.accretion.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    long pid = p.pid();
    p.waitFor();
    // the pid of a process that has exited and been reaped
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    return pid;
  }

  @Test
  void write_replacesTheTargetAndLeavesNoTemporaryFile() throws Exception {
    Path target = dir.resolve("sub/a.json");
    AtomicFiles.write(target, "one".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(target, "two".getBytes(StandardCharsets.UTF_8));
    assertThat(target).hasContent("two");
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void write_thatFailsLeavesTheOldContentAndNoTemporaryFile() throws Exception {
    Path target = dir.resolve("b.json");
    AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write("partial".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk full");
                    }))
        .hasMessageContaining("disk full");
    assertThat(target).hasContent("old");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void tempBeside_carriesThePidAndIsHidden() {
    Path temp = AtomicFiles.tempBeside(dir.resolve("layer.zip"));
    String name = temp.getFileName().toString();
    assertThat(name)
        .startsWith(".layer.zip." + ProcessHandle.current().pid() + "-")
        .endsWith(".tmp");
    assertThat(AtomicFiles.writerOf(name)).hasValue(ProcessHandle.current().pid());
    assertThat(AtomicFiles.writerOf("layer.zip")).isEmpty();
    assertThat(AtomicFiles.writerOf(".layer.zip.12345.tmp"))
        .as("old names without a pid")
        .isEmpty();
  }

  @Test
  void removeStale_removesOnlyFilesOfProcessesThatAreGone() throws Exception {
    long dead = deadPid();
    Path stale = Files.writeString(dir.resolve(".web.zip." + dead + "-abc.tmp"), "partial");
    Path mine = Files.writeString(AtomicFiles.tempBeside(dir.resolve("web.json")), "mine");
    Path live = Files.writeString(dir.resolve(".web.cdx.json.1-xyz.tmp"), "init's");
    Path other = Files.writeString(dir.resolve(".web.zip.873246.tmp"), "not ours to judge");
    Path zip = Files.writeString(dir.resolve("web.zip"), "done");

    assertThat(AtomicFiles.removeStale(dir)).containsExactly(stale);

    assertThat(stale).doesNotExist();
    assertThat(mine).exists();
    assertThat(live).exists();
    assertThat(other).exists();
    assertThat(zip).exists();
    assertThat(AtomicFiles.removeStale(dir.resolve("missing"))).isEmpty();
  }
}
