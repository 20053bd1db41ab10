package dev.accretion.cli;

/** A usage error found after parsing (e.g. two options that exclude each other); exit code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
