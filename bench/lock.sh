#!/usr/bin/env bash
# accretion lock vs pip install --dry-run --report, same question, same run:
# pandas, requests, boto3, pydantic for python3.11/x86_64 over the indexes pip's configuration
# names. Accretion runs as the real CLI process (./accretion), cold (a fresh, empty --cache-dir
# each time) and warm (a cache dir filled by an earlier run); pip runs with a fresh --cache-dir
# each time (pip caches nothing for file:// indexes anyway). Runs are interleaved
# (pip, cold, warm, pip, ...) so machine load hits all three alike. Medians are reported.
#
# `./accretion lock` runs in the build daemon by default (the warm-up run starts it); its CPU
# column then measures the bash client only. ACCRETION_DAEMON=off measures a fresh JVM per run.
#
# Usage: bench/lock.sh [REPETITIONS]     (default 9; hyperfine is used when installed)
# Env:   BENCH_STRATEGY=best-match|first-index   (default best-match: what pip does)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
reps=${1:-9}
strategy=${BENCH_STRATEGY:-best-match}
# the interpreter itself, not a pyenv shim (a shim adds ~60 ms of bash to every pip run)
python=$(python3.11 -c 'import sys; print(sys.executable)')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf 'pandas\nrequests\nboto3\npydantic\n' >"$work/requirements.txt"

# the runtime's representative full version and glibc, from the runtime matrix
read -r full glibc_minor < <("$python" - <<'EOF'
import json
m = json.load(open("accretion-core/src/main/resources/dev/accretion/core/runtime/runtimes.json"))
r = next(r for r in m["runtimes"] if r["id"] == "python3.11")
print(r["fullVersion"], r["glibc"].split(".")[1])
EOF
)
platforms=()
for ((y = glibc_minor; y >= 5; y--)); do
  platforms+=(--platform "manylinux_2_${y}_x86_64")
  case $y in
    17) platforms+=(--platform manylinux2014_x86_64) ;;
    12) platforms+=(--platform manylinux2010_x86_64) ;;
    5) platforms+=(--platform manylinux1_x86_64) ;;
  esac
done

pip_command() { # $1: cache dir; sets cmd
  cmd=("$python" -m pip install --dry-run --quiet --report "$work/pip-report.json"
    --ignore-installed --target "$work/pip-target" --only-binary=:all: --implementation cp
    --python-version "$full" --abi cp311 "${platforms[@]}" --retries 0 --cache-dir "$1"
    -r "$work/requirements.txt")
}
accretion_command() { # $1: cache dir; sets cmd
  cmd=(./accretion lock "$work/requirements.txt" --runtime python3.11 --arch x86_64
    --index-strategy "$strategy" --cache-dir "$1" --output "$work/pylock.toml" --json)
}
pip_lock() { pip_command "$1" && "${cmd[@]}" 2>/dev/null; }
accretion_lock() { accretion_command "$1" && "${cmd[@]}" >"$work/accretion.json" 2>/dev/null; }

# warm-up, not measured: build the CLI if needed; let the launcher create its class-data
# archive from a lock run (it archives the classes of the first command run after a build, so
# an archive made by e.g. --version would leave most of lock's classes out); bring the wheels
# into the OS page cache for both tools; fill the warm cache
./accretion --version >/dev/null
rm -f accretion-cli/target/accretion.jsa
accretion_lock "$work/warm-cache"
accretion_lock "$work/warm-cache"
pip_lock "$work/pip-cache-warmup"

# both must give the same answer, or the comparison means nothing
"$python" - "$work/pip-report.json" "$work/accretion.json" <<'EOF'
import json, sys
from packaging.utils import canonicalize_name
pip = {(canonicalize_name(i["metadata"]["name"]), i["metadata"]["version"])
       for i in json.load(open(sys.argv[1]))["install"]}
acc = {(canonicalize_name(p["name"]), p["version"])
       for p in json.load(open(sys.argv[2]))["locks"][0]["packages"]}
if pip != acc:
    sys.exit(f"different answers:\n  pip:       {sorted(pip)}\n  accretion: {sorted(acc)}")
print(f"same answer from both: {len(acc)} packages: "
      + " ".join(f"{n}=={v}" for n, v in sorted(acc)))
EOF

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
range() { sort -n | awk 'NR==1{min=$1} {max=$1} END {printf "%d-%d", min, max}'; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GB RAM"
echo "JDK: $(. .mvn/jdk.sh && accretion_find_jdk && "$ACCRETION_JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "pip: $("$python" -m pip --version | cut -d' ' -f1-2), $("$python" --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if command -v hyperfine >/dev/null; then
  pip_command "$work/pip-cache"
  pip_cmd=$(printf '%q ' "${cmd[@]}")
  accretion_command "$work/cold-cache"
  cold_cmd=$(printf '%q ' "${cmd[@]}")
  accretion_command "$work/warm-cache"
  warm_cmd=$(printf '%q ' "${cmd[@]}")
  hyperfine --shell=bash --runs "$reps" --export-markdown "$work/hyperfine.md" \
    --prepare "rm -rf $(printf '%q' "$work")/cold-cache $(printf '%q' "$work")/pip-cache" \
    -n pip "$pip_cmd" -n "accretion cold" "$cold_cmd" -n "accretion warm" "$warm_cmd"
  cat "$work/hyperfine.md"
  exit 0
fi

: >"$work/pip.t"
: >"$work/cold.t"
: >"$work/warm.t"
timed() { # $1: output file; runs "${cmd[@]}"; appends "wall_ms cpu_ms" (cpu = user + sys)
  /usr/bin/time -f "%e %U %S" -o "$work/one.t" "${cmd[@]}" >/dev/null 2>&1
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$work/one.t" >>"$1"
}
for ((i = 1; i <= reps; i++)); do
  pip_command "$work/pip-cache-$i" && timed "$work/pip.t"
  accretion_command "$work/cold-cache-$i" && timed "$work/cold.t"
  accretion_command "$work/warm-cache" && timed "$work/warm.t"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

col() { awk -v c="$1" '{print $c}' "$2"; }
row() { # $1: label, $2: file
  echo "| $1 | $(col 1 "$2" | median) ms | $(col 1 "$2" | range) ms | $(col 2 "$2" | median) ms |"
}
echo
echo "| run ($reps repetitions, interleaved) | wall median | wall range | CPU median (user+sys) |"
echo "|---|---|---|---|"
row "pip install --dry-run --report" "$work/pip.t"
row "accretion lock, cold (empty cache dir)" "$work/cold.t"
row "accretion lock, warm" "$work/warm.t"
awk -v p="$(col 1 "$work/pip.t" | median)" -v c="$(col 1 "$work/cold.t" | median)" \
  -v w="$(col 1 "$work/warm.t" | median)" -v pc="$(col 2 "$work/pip.t" | median)" \
  -v cc="$(col 2 "$work/cold.t" | median)" -v wc="$(col 2 "$work/warm.t" | median)" \
  'BEGIN {printf "\nspeed-up over pip, wall: cold %.1fx, warm %.1fx; CPU: cold %.1fx, warm %.1fx\n",
          p / c, p / w, pc / cc, pc / wc}'
