package dev.accretion.core;

/**
 * What kind of failure an {@link AccretionException} is. Shells map kinds, never message text, to
 * their outcomes: the CLI to exit codes, the service to HTTP statuses (RFC 9457 problem details).
 *
 * <table>
 *   <caption>Kinds and how the shells map them</caption>
 *   <tr><th>kind</th><th>meaning</th><th>CLI exit</th><th>HTTP</th></tr>
 *   <tr><td>{@link #USAGE}</td><td>the request itself is wrong: an unknown runtime, an invalid
 *       layer name, options that contradict each other</td><td>2</td><td>400</td></tr>
 *   <tr><td>{@link #BAD_INPUT}</td><td>an input file or document is malformed or says something
 *       impossible: a listing, a lock, a project file, a manifest</td><td>1</td><td>422</td></tr>
 *   <tr><td>{@link #NOT_FOUND}</td><td>something named does not exist: a file, a package version,
 *       a layer, a layer version</td><td>1</td><td>404</td></tr>
 *   <tr><td>{@link #CONFLICT}</td><td>the inputs cannot all hold at once: no resolution, two
 *       packages at one path, a definition that clashes with an existing one</td><td>1</td>
 *       <td>409</td></tr>
 *   <tr><td>{@link #UNREACHABLE}</td><td>a dependency source (index, registry, repository) could
 *       not be read</td><td>1</td><td>502</td></tr>
 *   <tr><td>{@link #AWS}</td><td>an AWS call failed (credentials, permissions, quota, service
 *       fault)</td><td>1</td><td>502</td></tr>
 *   <tr><td>{@link #REFUSED}</td><td>an integrity or security check refused an input: a hash
 *       mismatch, a hostile archive, a wheel for the wrong platform, a command builder where none
 *       is allowed</td><td>1</td><td>422</td></tr>
 *   <tr><td>{@link #TOO_LARGE}</td><td>an artifact or input is over a limit (Lambda's 250 MB,
 *       a listing size limit)</td><td>1</td><td>413</td></tr>
 *   <tr><td>{@link #FAILED}</td><td>anything else that went wrong on this side: a file that cannot
 *       be written, a full disk</td><td>1</td><td>500</td></tr>
 * </table>
 */
public enum FailureKind {
  USAGE(2, 400, "usage"),
  BAD_INPUT(1, 422, "bad-input"),
  NOT_FOUND(1, 404, "not-found"),
  CONFLICT(1, 409, "conflict"),
  UNREACHABLE(1, 502, "unreachable"),
  AWS(1, 502, "aws"),
  REFUSED(1, 422, "refused"),
  TOO_LARGE(1, 413, "too-large"),
  FAILED(1, 500, "failed");

  private final int exitCode;
  private final int httpStatus;
  private final String id;

  FailureKind(int exitCode, int httpStatus, String id) {
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
    this.id = id;
  }

  /** The CLI exit code: 2 for {@link #USAGE}, 1 for every other kind. */
  public int exitCode() {
    return exitCode;
  }

  /** The HTTP status the service answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** A stable lower-case id for JSON and problem types: {@code bad-input}, {@code too-large}. */
  public String id() {
    return id;
  }
}
