package dev.accretion.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ArchiveException;
import dev.accretion.core.cache.CacheException;
import dev.accretion.core.elf.ElfException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexException;
import dev.accretion.python.index.IndexUnreachableException;
import dev.accretion.python.install.InvalidWheelException;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.lock.LockConditionException;
import dev.accretion.python.lock.LockSelectionException;
import dev.accretion.python.resolve.ResolutionFailure;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every failure type says its kind, so shells map kinds, never message text. */
class FailureKindsTest {
  @Test
  void subclasses_carryTheirKind() {
    assertThat(new ArchiveException("a.zip", "x", "is bad", null).kind())
        .isEqualTo(FailureKind.REFUSED);
    assertThat(new ElfException("lib.so", "wrong machine").kind()).isEqualTo(FailureKind.REFUSED);
    assertThat(new InvalidWheelException("w.whl", null, "no RECORD", null).kind())
        .isEqualTo(FailureKind.REFUSED);
    assertThat(new ListingException("bad line").kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(new ParseException("version", "1..0", 2, "bad").kind())
        .isEqualTo(FailureKind.BAD_INPUT);
    assertThat(new LockConditionException("bad marker").kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(new ResolutionFailure("no solution").kind()).isEqualTo(FailureKind.CONFLICT);
    assertThat(new LockSelectionException("no wheel:", List.of("numpy")).kind())
        .isEqualTo(FailureKind.CONFLICT);
    assertThat(new IndexException("HTTP 500").kind()).isEqualTo(FailureKind.UNREACHABLE);
    assertThat(new IndexUnreachableException(URI.create("https://i/"), "down", null).kind())
        .isEqualTo(FailureKind.UNREACHABLE);
    assertThat(new CacheException("disk full").kind()).isEqualTo(FailureKind.FAILED);
  }

  @Test
  void unknownRuntimeOrArchitecture_isBadInput_andUsageMapsToExitTwo() {
    AccretionException runtime =
        catchFailure(() -> RuntimeMatrix.load().target("python2.7", "x86_64"));
    assertThat(runtime.kind()).isEqualTo(FailureKind.BAD_INPUT);
    AccretionException arch =
        catchFailure(() -> RuntimeMatrix.load().target("python3.12", "sparc"));
    assertThat(arch.kind()).isEqualTo(FailureKind.BAD_INPUT);
    assertThat(Usage.error("x").kind().exitCode()).isEqualTo(2);
    assertThat(FailureKind.BAD_INPUT.exitCode()).isEqualTo(1);
  }

  interface Call {
    void run() throws AccretionException;
  }

  static AccretionException catchFailure(Call call) {
    try {
      call.run();
    } catch (AccretionException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
