#!/usr/bin/env bash
# Does the JDK-only JSON reader in accretion-core earn its keep? The first thing every CLI command
# does is read the runtime matrix (runtimes.json); this measures that read, cold, in a fresh JVM per
# sample, with core's reader and with Jackson's tree model (what the rest of Accretion uses), in
# alternating order, and prints the medians. The same JVM flags as the ./accretion launcher
# (Serial GC; no AOT cache, so class loading shows as a user's first run after a build pays it).
#
# Usage: bench/json-startup.sh [SAMPLES]     (default 21 per reader)
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-21}
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-json.XXXXXX")
trap 'rm -rf "$work"' EXIT
./mvnw -q -B -pl accretion-bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$work/classpath" -DincludeScope=runtime
cp="accretion-bench/target/classes:$(cat "$work/classpath")"
# shellcheck source=../.mvn/jdk.sh
. .mvn/jdk.sh
accretion_find_jdk || exit 1
java_bin="$ACCRETION_JAVA_HOME/bin/java"
for i in $(seq 1 "$samples"); do
  for reader in core jackson; do
    start=$(date +%s%N)
    line=$("$java_bin" -XX:+UseSerialGC -Xshare:auto -cp "$cp" dev.accretion.bench.JsonStartupBench "$reader")
    end=$(date +%s%N)
    echo "$line $(( (end - start) / 1000000 ))" >> "$work/samples"
  done
done
"$java_bin" -version 2>&1 | head -1
echo "reader   parse-ms(median)  main-to-tree-ms(median)  process-ms(median)  samples"
for reader in core jackson; do
  grep "^$reader " "$work/samples" | awk -v r="$reader" '
    { p[NR]=$2; m[NR]=$3; w[NR]=$5 }
    END {
      n=asort(p); asort(m); asort(w); mid=int((n+1)/2)
      printf "%-8s %16.1f %24.1f %19d %8d\n", r, p[mid], m[mid], w[mid], n
    }'
done
