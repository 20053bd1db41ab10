# Sourced by ./mvnw and ./accretion: finds a JDK >= 21 without any setup.
# Order: JAVA_HOME, the java on PATH, then the system JVM folders (newest first).
# Sets ACCRETION_JAVA_HOME or prints one clear error and returns 1.

accretion_jdk_major() { # $1 = a JDK home; prints its feature version or nothing
  local home="$1" v=""
  [ -x "$home/bin/java" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)"/\1/p' "$home/release")
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
  echo "$v"
}

accretion_find_jdk() {
  local min=21 candidate major
  local -a candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidate=$(readlink -f "$(command -v java)")
    candidates+=("${candidate%/bin/java}")
  fi
  local dir
  for dir in /usr/lib/jvm /usr/java /opt/java /Library/Java/JavaVirtualMachines; do
    [ -d "$dir" ] || continue
    # newest first: sort by the version number embedded in the folder name
    while IFS= read -r candidate; do
      [ -d "$candidate/Contents/Home" ] && candidate="$candidate/Contents/Home"
      candidates+=("$candidate")
    done < <(ls -d "$dir"/*/ 2>/dev/null | sed 's:/$::' | sort -t- -k2 -V -r)
  done
  for candidate in "${candidates[@]}"; do
    major=$(accretion_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ -x "$candidate/bin/javac" ]; then
      ACCRETION_JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "accretion: no JDK ${min} or newer found (looked at JAVA_HOME, the java on PATH, /usr/lib/jvm)." >&2
  echo "accretion: install one (e.g. 'apt install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}
