#!/usr/bin/env bash
# Layer build benchmark: accretion against pip + zip, measured in the same run.
#
#   bench/layer.sh [RUNS]        (default 3; prints a Markdown report on stdout)
#
# 1. cold build (empty cache) of pandas, requests, boto3, pydantic for python3.11/x86_64:
#    `./accretion build` vs `pip install --no-compile --target ... --only-binary=:all:
#    --platform manylinux_2_{26..5}_x86_64 (+ legacy aliases) --python-version 3.11
#    --implementation cp --retries 0 --no-cache-dir`
#    followed by `zip -qrX` of the same layout. Both read the same local mirror through the
#    machine's pip configuration. pip's default index (https://pypi.org/simple) is unreachable
#    here: --retries 0 keeps pip from spending minutes retrying it (DNS fails at once).
# 2. unchanged rebuild: the whole `./accretion build` process again with the cache warm.
# 3. peak RSS (/usr/bin/time -v) of a cold build of a 200+ MB layer
#    (numpy, pandas, scipy, botocore, lxml).
# Extra JVM flags for the launcher can be given in ACCRETION_JAVA_OPTS.
set -euo pipefail
# a fresh JVM per `accretion build`, as these results were recorded before the build daemon
# (bench/node.sh measures both); ACCRETION_DAEMON=on measures builds in a daemon instead
export ACCRETION_DAEMON=${ACCRETION_DAEMON:-off}
cd "$(dirname "$0")/.."
runs=${1:-3}
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python=${PYTHON:-python3.11}

./accretion --version >/dev/null # builds the CLI if needed and creates its CDS archive
./accretion --version >/dev/null

mkdir -p "$work/layer"
printf 'pandas\nrequests\nboto3\npydantic\n' >"$work/layer/requirements.txt"
mkdir -p "$work/big"
printf 'numpy\npandas\nscipy\nbotocore\nlxml\n' >"$work/big/requirements.txt"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cold=()
for i in $(seq "$runs"); do
  rm -rf "$work/cache" "$work/dist"
  t0=$(now)
  ./accretion build "$work/layer/requirements.txt" --runtime python3.11 --arch x86_64 \
    --cache-dir "$work/cache" --output "$work/dist" --json >"$work/cold.json" 2>"$work/cold.err"
  t1=$(now)
  cold+=("$(elapsed "$t0" "$t1")")
done
acc_zip=$(ls "$work"/dist/*.zip)
acc_zipped=$(stat -c %s "$acc_zip")
acc_unzipped=$("$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['artifacts'][0]['unzippedBytes'])" "$work/cold.json")
acc_packages=$("$python" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['artifacts'][0]['packages']))" "$work/cold.json")

# pip 23 does not expand a manylinux_2_Y platform to older ones: name every glibc up to
# python3.11's 2.26 (Amazon Linux 2), and the legacy aliases, as Accretion's target does.
platforms=()
for y in $(seq 26 -1 5); do platforms+=(--platform "manylinux_2_${y}_x86_64"); done
platforms+=(--platform manylinux2014_x86_64 --platform manylinux2010_x86_64 --platform manylinux1_x86_64)
pip=()
for i in $(seq "$runs"); do
  rm -rf "$work/pip" "$work/pip.zip"
  t0=$(now)
  "$python" -m pip install --quiet --disable-pip-version-check --no-cache-dir --no-compile \
    --retries 0 --target "$work/pip/python" --only-binary=:all: \
    "${platforms[@]}" --python-version 3.11 --implementation cp \
    pandas requests boto3 pydantic >"$work/pip.log" 2>&1 || { cat "$work/pip.log" >&2; exit 1; }
  (cd "$work/pip" && zip -qrX "$work/pip.zip" python)
  t1=$(now)
  pip+=("$(elapsed "$t0" "$t1")")
done
pip_zipped=$(stat -c %s "$work/pip.zip")
pip_unzipped=$(du -sb "$work/pip/python" | cut -f1)

rebuild=()
for i in $(seq $((runs + 2))); do
  t0=$(now)
  ./accretion build "$work/layer/requirements.txt" --runtime python3.11 --arch x86_64 \
    --cache-dir "$work/cache" --output "$work/dist" --json >"$work/re.json" 2>/dev/null
  t1=$(now)
  rebuild+=("$(elapsed "$t0" "$t1")")
done
cmp -s "$work/cold.json" "$work/re.json" || echo "warning: the rebuild's JSON differs" >&2

rss=()
big_unzipped=0
for i in $(seq "$runs"); do
  rm -rf "$work/cache-big" "$work/dist-big"
  # peak RSS of the build JVM itself: always a fresh process (with the daemon it would be bash)
  ACCRETION_DAEMON=off /usr/bin/time -v -o "$work/time.txt" ./accretion build "$work/big/requirements.txt" \
    --runtime python3.11 --cache-dir "$work/cache-big" --output "$work/dist-big" --json \
    >"$work/big.json" 2>/dev/null
  rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")")
  big_unzipped=$("$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['artifacts'][0]['unzippedBytes'])" "$work/big.json")
done

cold_m=$(printf '%s\n' "${cold[@]}" | median)
pip_m=$(printf '%s\n' "${pip[@]}" | median)
re_m=$(printf '%s\n' "${rebuild[@]}" | median)
rss_m=$(printf '%s\n' "${rss[@]}" | median)
java_version=$(. .mvn/jdk.sh && accretion_find_jdk && "$ACCRETION_JAVA_HOME/bin/java" -version 2>&1 | head -1)

cat <<EOF
| measure | accretion | peer | ratio / goal |
|---|---|---|---|
| cold build, pandas+requests+boto3+pydantic, python3.11/x86_64 (median of $runs, s) | $cold_m (runs: ${cold[*]}) | pip + zip: $pip_m (runs: ${pip[*]}) | $(echo "scale=1; $pip_m / $cold_m" | bc)x faster (goal >= 10x) |
| layer size (unzipped / zipped bytes) | $acc_unzipped / $acc_zipped ($acc_packages packages) | $pip_unzipped / $pip_zipped | |
| unchanged rebuild, whole CLI process (median of $((runs + 2)), s) | $re_m (runs: ${rebuild[*]}) | | goal < 0.5 s |
| peak RSS, cold build of numpy+pandas+scipy+botocore+lxml ($big_unzipped bytes unzipped) | $((rss_m / 1024)) MB (runs: ${rss[*]} KB) | | goal < 300 MB |

Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $java_version; launcher extra JVM options: '${ACCRETION_JAVA_OPTS:-}'.
EOF
