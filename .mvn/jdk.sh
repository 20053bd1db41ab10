# Sourced by ./mvnw and ./accretion: finds a JDK >= 21 without any setup.
# Order: JAVA_HOME, the java on PATH, then the system JVM folders (newest first).
# Sets ACCRETION_JAVA_HOME (and ACCRETION_JAVA_MAJOR, its feature version) or prints one clear
# error and returns 1.

accretion_jdk_major() { # $1 = a JDK home; prints its feature version or nothing
  _accretion_major_of "$1"
  [ -z "$_accretion_major" ] || echo "$_accretion_major"
}

# Sets _accretion_major to $1's feature version (or empty). Bash builtins only (no subshell) when
# the JDK has a release file: the launcher runs this on every command.
_accretion_major_of() {
  local home="$1" line v=""
  _accretion_major=""
  [ -x "$home/bin/java" ] || return 0
  if [ -f "$home/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_VERSION=*)
          v=${line#JAVA_VERSION=}
          v=${v//\"/}
          break
          ;;
      esac
    done <"$home/release"
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
  fi
  case "$v" in
    1.*) v=${v#1.} ;;
  esac
  v=${v%%[.+-]*}
  case "$v" in
    '' | *[!0-9]*) return 0 ;;
  esac
  _accretion_major=$v
}

# Whether $1 is a JDK >= 21 (java and javac); sets ACCRETION_JAVA_HOME when it is.
_accretion_try_jdk() {
  _accretion_major_of "$1"
  if [ -n "$_accretion_major" ] && [ "$_accretion_major" -ge 21 ] && [ -x "$1/bin/javac" ]; then
    ACCRETION_JAVA_HOME="$1"
    ACCRETION_JAVA_MAJOR="$_accretion_major"
    return 0
  fi
  return 1
}

accretion_find_jdk() {
  local candidate dir best="" best_major=0 java_path
  # 1. JAVA_HOME, 2. the java on PATH: the first that is a JDK >= 21 wins
  if [ -n "${JAVA_HOME:-}" ] && _accretion_try_jdk "$JAVA_HOME"; then
    return 0
  fi
  if java_path=$(command -v java 2>/dev/null); then
    candidate=$(readlink -f "$java_path")
    if _accretion_try_jdk "${candidate%/bin/java}"; then
      return 0
    fi
  fi
  # 3. the system JVM folders: the newest JDK >= 21 (by its release file's version)
  for dir in /usr/lib/jvm /usr/java /opt/java /Library/Java/JavaVirtualMachines; do
    [ -d "$dir" ] || continue
    for candidate in "$dir"/*/; do
      candidate=${candidate%/}
      [ -d "$candidate/Contents/Home" ] && candidate="$candidate/Contents/Home"
      _accretion_major_of "$candidate"
      if [ -n "$_accretion_major" ] && [ "$_accretion_major" -ge 21 ] \
          && [ "$_accretion_major" -gt "$best_major" ] && [ -x "$candidate/bin/javac" ]; then
        best="$candidate"
        best_major=$_accretion_major
      fi
    done
    if [ -n "$best" ]; then
      ACCRETION_JAVA_HOME="$best"
      ACCRETION_JAVA_MAJOR="$best_major"
      return 0
    fi
  done
  echo "accretion: no JDK 21 or newer found (looked at JAVA_HOME, the java on PATH, /usr/lib/jvm)." >&2
  echo "accretion: install one (e.g. 'apt install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}
