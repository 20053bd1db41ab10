package dev.accretion.core.elf;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/**
 * An ELF file that cannot be read or is malformed: truncated headers, tables pointing outside the
 * file, strings without an end. The message names the file, for example:
 *
 * <pre>
 * numpy/core/_multiarray_umath.so: has a program header table that runs past the end of the file
 * (offset 64, 13 entries of 56 bytes, file of 100 bytes); the file is damaged or not a valid ELF
 * object: do not ship it
 * </pre>
 */
public class ElfException extends AccretionException {
  private static final long serialVersionUID = 1L;

  static final String DAMAGED = "the file is damaged or not a valid ELF object: do not ship it";

  private final String file;
  private final String problem;

  /**
   * @param file the file as shown to the user (a path, or wheel and entry)
   * @param problem what is wrong, as a predicate of the file
   */
  public ElfException(String file, String problem) {
    this(file, problem, DAMAGED, null);
  }

  /** With explicit advice and cause (either may be null). */
  public ElfException(String file, String problem, String advice, Throwable cause) {
    super(
        FailureKind.REFUSED, file + ": " + problem + (advice == null ? "" : "; " + advice), cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file as shown in the message. */
  public String file() {
    return file;
  }

  /** The reason alone. */
  public String problem() {
    return problem;
  }
}
