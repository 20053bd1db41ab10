/**
 * Listings to per-target locks: {@link dev.accretion.python.lock.Locker} reads a listing once and
 * answers it for any number of Lambda targets; {@link dev.accretion.python.lock.PylockWriter}
 * writes the answer as a PEP 751 {@code pylock.toml}.
 *
 * <h2>Lock files as listings</h2>
 *
 * <p>{@code pylock.toml}, {@code uv.lock}, {@code poetry.lock} and {@code Pipfile.lock} are never
 * resolved again. Each has a reader ({@link dev.accretion.python.lock.PylockReader}, {@link
 * dev.accretion.python.lock.UvLockReader}, {@link dev.accretion.python.lock.PoetryLockReader},
 * {@link dev.accretion.python.lock.PipfileLockReader}) that produces one model, {@link
 * dev.accretion.python.lock.LockedListing}: packages ({@link
 * dev.accretion.python.lock.LockedPackage}) with their files, conditions and dependency edges, and
 * the project entries installing starts from. {@link dev.accretion.python.lock.LockResolver} then
 * selects for a target: graph locks (uv, Poetry before 2.1 with its pyproject.toml) are walked from
 * the project with markers evaluated in the target's environment and the requested extras and
 * groups; flat locks (pylock, Pipfile.lock, Poetry 2.1) take every entry whose marker holds. For
 * each package the best-ranked wheel the lock records for the target's tags is chosen; files
 * without a location are found on the indexes, by name (Poetry) or by hash (Pipfile.lock, Poetry
 * 0.12). Hashes are enforced: a local file is hashed now, an index's hash must equal the lock's,
 * and every chosen file carries a sha256 that the build checks the download against.
 *
 * <p>Choices where the formats leave room: no uv or Poetry group is installed unless named (a
 * Lambda layer carries runtime dependencies only); PEP 751 {@code default-groups} apply only when
 * no group is named (as {@code packaging.pylock} does; a warning says so); Pipfile.lock's {@code
 * _meta.sources} are indexes searched before the configured ones (each entry's own source first);
 * {@code develop} is also accepted as {@code dev}.
 *
 * <p>Not supported: building anything (sdists, VCS checkouts, local directories and editable
 * workspace members are reported by name); uv workspace members that another member depends on;
 * Poetry lock files before 2.1 without their pyproject.toml; Pipfile.lock {@code _meta.requires}
 * (the markers already say what each Python gets).
 */
package dev.accretion.python.lock;
