#!/usr/bin/env bash
# Accretion's deterministic pure-Java DEFLATE encoder (used for zip entries Accretion compresses
# itself: npm tarball entries, a custom builder's output) against the JDK's zlib at level 6, on
# the inflated files of real wheels from the local mirror: throughput and compressed size.
# Usage: bench/deflate.sh [ROUNDS] [WHEEL...]   (default 3 rounds over a few mirror wheels)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
if [ "$#" -eq 0 ]; then
  set -- $(ls /opt/pypi/files/requests-*.whl /opt/pypi/files/boto3-*.whl \
    /opt/pypi/files/botocore-*.whl /opt/pypi/files/numpy-*cp311*x86_64*.whl 2>/dev/null | head -4)
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-deflate.XXXXXX")
trap 'rm -rf "$work"' EXIT
./mvnw -q -B -pl accretion-bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$work/classpath" -DincludeScope=runtime
cp="accretion-bench/target/classes:$(cat "$work/classpath")"
# shellcheck source=../.mvn/jdk.sh
. .mvn/jdk.sh
accretion_find_jdk || exit 1
"$ACCRETION_JAVA_HOME/bin/java" -version 2>&1 | head -1
printf 'wheels: %s\n' "$@"
"$ACCRETION_JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$cp" dev.accretion.bench.DeflateBench "$rounds" "$@"
