#!/usr/bin/env bash
# Archive layer alone (no resolution, no Python layout): strict open of each wheel, inflate +
# CRC + sha256 + ELF scan of every entry, raw copy into a reproducible layer zip.
# Usage: bench/archive-layer.sh THREADS WHEEL...   (prints timings, then peak RSS)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl accretion-core -am test-compile -DskipTests
cp_file=$(mktemp)
./mvnw -q -B -pl accretion-core dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
# shellcheck source=../.mvn/jdk.sh
. .mvn/jdk.sh
accretion_find_jdk || exit 1
java_bin="$ACCRETION_JAVA_HOME/bin/java"
out=$(mktemp -d)/layer.zip
/usr/bin/time -f "wall %e s, cpu %U+%S s, peak RSS %M KB" "$java_bin" \
  -cp "accretion-core/target/test-classes:accretion-core/target/classes:$(cat "$cp_file")" \
  dev.accretion.core.archive.ArchiveBench "$out" "$@"
