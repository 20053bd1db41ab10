package dev.accretion.core.runtime;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.Locale;

/**
 * A CPU architecture Lambda runs functions on. Each has three spellings that different standards
 * use; this type keeps them apart so no caller has to translate by hand.
 */
public enum Architecture {
  X86_64("x86_64", "x86_64", 62),
  ARM64("arm64", "aarch64", 183);

  private final String lambdaName;
  private final String machine;
  private final int elfMachine;

  Architecture(String lambdaName, String machine, int elfMachine) {
    this.lambdaName = lambdaName;
    this.machine = machine;
    this.elfMachine = elfMachine;
  }

  /**
   * The name the Lambda API uses ({@code Architectures}, {@code CompatibleArchitectures}): {@code
   * x86_64} or {@code arm64}.
   */
  public String lambdaName() {
    return lambdaName;
  }

  /**
   * The machine name of {@code uname -m}, which PEP 508's {@code platform_machine} marker and the
   * platform part of wheel tags ({@code manylinux_2_17_aarch64}) use: {@code x86_64} or {@code
   * aarch64}.
   */
  public String machine() {
    return machine;
  }

  /** The ELF header's {@code e_machine} value of native code built for it: 62 or 183. */
  public int elfMachine() {
    return elfMachine;
  }

  /**
   * Parses any common spelling: {@code x86_64}, {@code amd64}, {@code arm64}, {@code aarch64}
   * (case-insensitive; {@code -} is accepted for {@code _}).
   *
   * @throws AccretionException naming the valid spellings if the text is none of them
   */
  public static Architecture parse(String text) throws AccretionException {
    String key = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    return switch (key) {
      case "x86_64", "amd64" -> X86_64;
      case "arm64", "aarch64" -> ARM64;
      default ->
          throw new AccretionException(
              FailureKind.BAD_INPUT,
              "unknown architecture '" + text + "': use x86_64 (or amd64) or arm64 (or aarch64)");
    };
  }

  /** The Lambda name, as in {@code python3.12/arm64}. */
  @Override
  public String toString() {
    return lambdaName;
  }
}
