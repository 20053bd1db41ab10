#!/usr/bin/env bash
# Node.js layer build benchmark: accretion against npm ci + zip, measured in the same run.
#
#   bench/node.sh [RUNS]        (default 3; prints a Markdown report on stdout)
#
# The set: bench/node-set (package.json + package-lock.json written by npm 11; 100+ packages
# installed for linux/x64: the AWS SDK v3 S3 and DynamoDB clients, express, axios, pg, knex,
# sharp with its platform packages, ...). Target nodejs22.x on x86_64.
# 1. cold build, empty caches on both sides:
#    `./accretion build bench/node-set/package.json --runtime nodejs22.x --arch x86_64`
#    with a fresh --cache-dir, vs `npm ci --omit=dev --ignore-scripts --os=linux --cpu=x64`
#    with a fresh --cache, followed by `zip -qrX` of nodejs/node_modules.
# 2. unchanged rebuild: the whole `./accretion build` process again with the cache warm.
# Extra JVM flags for the launcher can be given in ACCRETION_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-bench-node.XXXXXX")
trap 'rm -rf "$work"' EXIT
set_dir=bench/node-set
# shellcheck source=npm-peer.sh
. bench/npm-peer.sh

./accretion --version >/dev/null # builds the CLI if needed
./accretion --version >/dev/null

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cold=()
for i in $(seq "$runs"); do
  rm -rf "$work/cache" "$work/dist"
  t0=$(now)
  ./accretion build "$set_dir/package.json" --runtime nodejs22.x --arch x86_64 \
    --cache-dir "$work/cache" --output "$work/dist" --json >"$work/cold.json" 2>"$work/cold.err" \
    || { cat "$work/cold.err" >&2; exit 1; }
  t1=$(now)
  cold+=("$(elapsed "$t0" "$t1")")
done
acc_zip=$(ls "$work"/dist/*.zip)
acc_zipped=$(stat -c %s "$acc_zip")
acc_packages=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1])).artifacts[0].packages.length)" "$work/cold.json")

npm_runs=()
for i in $(seq "$runs"); do
  npm_runs+=("$(npm_peer "$work" "$set_dir")")
done
npm_zipped=$(stat -c %s "$work/npm.zip")
npm_packages=$(find "$work/npm/nodejs/node_modules" -name package.json -path '*node_modules/*/package.json' \
  -not -path '*/node_modules/*/*/*/package.json' | wc -l)

rebuild=()
for i in $(seq $((runs + 2))); do
  t0=$(now)
  ./accretion build "$set_dir/package.json" --runtime nodejs22.x --arch x86_64 \
    --cache-dir "$work/cache" --output "$work/dist" --json >"$work/re.json" 2>/dev/null
  t1=$(now)
  rebuild+=("$(elapsed "$t0" "$t1")")
done
cmp -s "$work/cold.json" "$work/re.json" || echo "warning: the rebuild's JSON differs" >&2

acc_med=$(printf '%s\n' "${cold[@]}" | median)
npm_med=$(printf '%s\n' "${npm_runs[@]}" | median)
re_med=$(printf '%s\n' "${rebuild[@]}" | median)
ratio=$(echo "scale=1; $npm_med / $acc_med" | bc)

cat <<REPORT
## Node.js layer build ($(date -u +%Y-%m-%d), $runs runs, median)

Set: bench/node-set ($acc_packages packages in Accretion's manifest), nodejs22.x on x86_64.

| | median (s) | runs (s) | zip bytes |
|---|---|---|---|
| \`accretion build\`, empty cache | $acc_med | ${cold[*]} | $acc_zipped |
| \`npm ci --omit=dev --ignore-scripts\`, empty npm cache, + \`zip -qrX\` | $npm_med | ${npm_runs[*]} | $npm_zipped |
| unchanged rebuild (whole \`accretion build\` process) | $re_med | ${rebuild[*]} | |

Cold build: Accretion is ${ratio}x faster than npm ci + zip.
REPORT
