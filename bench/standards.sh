#!/usr/bin/env bash
# Packaging standards, Java vs Python, over the local wheel mirror's real inputs:
# PEP 440 versions and specifier sets, PEP 508 requirements and markers, METADATA, simple-index
# pages (PEP 503 HTML and a PEP 691 JSON rendition). Java: JMH over accretion-bench's
# StandardsBench. Python: packaging / pip with timeit, same inputs, same run.
#
# Usage: bench/standards.sh [OUTPUT.md]      (default bench/results/standards.md)
# Knobs (environment): BENCH_FORKS=2 BENCH_WARMUP=5 BENCH_ITERS=4 BENCH_TIME=1s (JMH),
#   BENCH_PY_SAMPLE=0.25 (seconds per Python sample) BENCH_PY_REPEATS=8, BENCH_PYTHON=python3.11,
#   BENCH_FILTER (regex of benchmark names, JMH side only). Defaults take ~4.5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out_md=${1:-bench/results/standards.md}
python=${BENCH_PYTHON:-python3.11}
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-standards.XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

echo "== build (accretion-bench and what it needs)" >&2
# One reactor run, so the classpath names this tree's modules, not whatever ~/.m2 holds (each
# module writes the file in turn; accretion-bench comes last).
./mvnw -q -B -pl accretion-bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile="$work/classpath" -DincludeScope=runtime
cp="accretion-bench/target/classes:$(cat "$work/classpath")"
# shellcheck source=../.mvn/jdk.sh
. .mvn/jdk.sh
accretion_find_jdk || exit 1
java_bin="$ACCRETION_JAVA_HOME/bin/java"

echo "== corpus (the mirror named by \`$python -m pip config list\`)" >&2
"$python" bench/standards.py corpus "$work/corpus"
"$java_bin" -cp "$cp" dev.accretion.bench.StandardsCorpus "$work/corpus"

{
  echo "- CPU: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "- Memory: $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
  echo "- OS: $(uname -sr)"
  echo "- JDK: $("$java_bin" -version 2>&1 | head -2 | tail -1)"
  echo "- Python: $("$python" -c 'import sys; print(sys.version.split()[0], sys.executable)')"
  echo "- Load average when the run started: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)"
} >"$work/machine.md"

echo "== Java (JMH)" >&2
export ACCRETION_BENCH_CORPUS="$work/corpus"
"$java_bin" -cp "$cp" org.openjdk.jmh.Main "dev\.accretion\.bench\.StandardsBench\.${BENCH_FILTER:-.*}" \
  -f "${BENCH_FORKS:-2}" -wi "${BENCH_WARMUP:-5}" -i "${BENCH_ITERS:-4}" \
  -w "${BENCH_TIME:-1s}" -r "${BENCH_TIME:-1s}" -t 1 \
  -rf json -rff "$work/jmh.json" >"$work/jmh.log" 2>&1 || {
  cat "$work/jmh.log" >&2
  exit 1
}
grep -E '^(Benchmark|StandardsBench)' "$work/jmh.log" >&2 || true

echo "== Python (packaging, pip)" >&2
"$python" bench/standards.py peer "$work/corpus" "$work/python.json"

echo "- Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg); whole run $(($(date +%s) - started)) s" >>"$work/machine.md"
"$python" bench/standards.py report "$work/corpus" "$work/jmh.json" "$work/python.json" \
  "$work/corpus/java-answers.json" "$work/machine.md" "$out_md"
mkdir -p "$(dirname "$out_md")"
base="${out_md%.md}"
cp "$work/jmh.json" "$base-jmh.json"
cp "$work/python.json" "$base-python.json"
echo "wrote $out_md, $base-jmh.json, $base-python.json" >&2
