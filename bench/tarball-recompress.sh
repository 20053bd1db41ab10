#!/usr/bin/env bash
# Making a Node.js layer's zip entries from npm tarballs, three ways, on the tarballs of
# bench/node-set (downloaded once by a cold `accretion build` into a temporary cache):
# Accretion's re-encoding from each tarball's own LZ77 matches (what the nodejs builder does),
# Accretion's full deterministic encoder, and the JDK's zlib at level 6 (the peer, as zip tools).
# Usage: bench/tarball-recompress.sh [ROUNDS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-recompress.XXXXXX")
trap 'rm -rf "$work"' EXIT
./accretion build bench/node-set/package.json --runtime nodejs22.x --arch x86_64 \
  --cache-dir "$work/cache" --output "$work/dist" --json >/dev/null 2>"$work/build.err" \
  || { cat "$work/build.err" >&2; exit 1; }
./mvnw -q -B -pl accretion-bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$work/classpath" -DincludeScope=runtime
cp="accretion-bench/target/classes:$(cat "$work/classpath")"
# shellcheck source=../.mvn/jdk.sh
. .mvn/jdk.sh
accretion_find_jdk || exit 1
"$ACCRETION_JAVA_HOME/bin/java" -version 2>&1 | head -1
"$ACCRETION_JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$cp" \
  dev.accretion.bench.TarballRecompressBench "$rounds" "$work/cache/blobs"
