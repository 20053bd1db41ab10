#!/usr/bin/env bash
# Node.js layer build benchmark: accretion against npm ci + zip, measured in the same run.
#
#   bench/node.sh [RUNS]        (default 3; prints a Markdown report on stdout)
#
# The set: bench/node-set (package.json + package-lock.json written by npm 11; 100+ packages
# installed for linux/x64: the AWS SDK v3 S3 and DynamoDB clients, express, axios, pg, knex,
# sharp with its platform packages, ...). Target nodejs22.x on x86_64.
# RUNS rounds, alternating:
#   npm     `npm ci --omit=dev --ignore-scripts --os=linux --cpu=x64` with a fresh --cache,
#           then `zip -qrX` of nodejs/node_modules (the peer)
#   daemon  `./accretion build bench/node-set/package.json --runtime nodejs22.x --arch x86_64`
#           with a fresh --cache-dir, as the launcher runs it by default: in the build daemon
#           (started, and warmed by two untimed builds, before the first round)
#   fresh   the same with ACCRETION_DAEMON=off: a new JVM for the build
# then unchanged rebuilds (the same command, cache warm), RUNS+2 each, daemon and fresh.
# The daemon lives in a private ACCRETION_DAEMON_DIR and is stopped at the end.
# Extra JVM flags for the launcher can be given in ACCRETION_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-bench-node.XXXXXX")
export ACCRETION_DAEMON_DIR="$work/daemons"
trap './accretion daemon stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
set_dir=bench/node-set
# shellcheck source=npm-peer.sh
. bench/npm-peer.sh

./accretion --version >/dev/null # builds the CLI if needed
./accretion --version >/dev/null

now() { date +%s.%N; }
elapsed() { printf "%.2f" "$(echo "$2 - $1" | bc)"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# build NAME [env...]: one cold-cache build into $work/NAME, prints its wall time
build() {
  local name=$1 t0
  shift
  rm -rf "${work:?}/cache-$name" "$work/dist-$name"
  t0=$(now)
  env "$@" ./accretion build "$set_dir/package.json" --runtime nodejs22.x --arch x86_64 \
    --cache-dir "$work/cache-$name" --output "$work/dist-$name" --json \
    >"$work/$name.json" 2>"$work/$name.err" || { cat "$work/$name.err" >&2; exit 1; }
  elapsed "$t0" "$(now)"
}

first=$(build warmup)
second=$(build warmup)

cold=() fresh=() npm_runs=()
for i in $(seq "$runs"); do
  npm_runs+=("$(npm_peer "$work" "$set_dir")")
  cold+=("$(build daemon)")
  fresh+=("$(build fresh ACCRETION_DAEMON=off)")
done
cmp -s "$work"/dist-daemon/*.zip "$work"/dist-fresh/*.zip ||
  { echo "node.sh: the daemon's zip differs from the fresh process's" >&2; exit 1; }
acc_zip=$(ls "$work"/dist-daemon/*.zip)
acc_zipped=$(stat -c %s "$acc_zip")
acc_packages=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1])).artifacts[0].packages.length)" "$work/daemon.json")
npm_zipped=$(stat -c %s "$work/npm.zip")

# rebuild NAME [env...]: the same build again, cache warm
rebuild() {
  local name=$1 t0
  shift
  t0=$(now)
  env "$@" ./accretion build "$set_dir/package.json" --runtime nodejs22.x --arch x86_64 \
    --cache-dir "$work/cache-$name" --output "$work/dist-$name" --json >"$work/re.json" 2>/dev/null
  elapsed "$t0" "$(now)"
}
re_daemon=() re_fresh=()
for i in $(seq $((runs + 2))); do
  re_daemon+=("$(rebuild daemon)")
  re_fresh+=("$(rebuild fresh ACCRETION_DAEMON=off)")
done

acc_med=$(printf '%s\n' "${cold[@]}" | median)
fresh_med=$(printf '%s\n' "${fresh[@]}" | median)
npm_med=$(printf '%s\n' "${npm_runs[@]}" | median)
re_med=$(printf '%s\n' "${re_daemon[@]}" | median)
re_fresh_med=$(printf '%s\n' "${re_fresh[@]}" | median)

cat <<REPORT
## Node.js layer build ($(date -u +%Y-%m-%d), $runs rounds, median)

Set: bench/node-set ($acc_packages packages in Accretion's manifest), nodejs22.x on x86_64.
$(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg).

| | median (s) | runs (s) | zip bytes |
|---|---|---|---|
| \`npm ci --omit=dev --ignore-scripts\`, empty npm cache, + \`zip -qrX\` | $npm_med | ${npm_runs[*]} | $npm_zipped |
| \`accretion build\`, empty cache (in the build daemon, the default) | $acc_med | ${cold[*]} | $acc_zipped |
| \`accretion build\`, empty cache, fresh process (\`ACCRETION_DAEMON=off\`) | $fresh_med | ${fresh[*]} | |
| the first two builds (the first started the daemon; empty cache) | $first, $second | | |
| unchanged rebuild (whole \`./accretion build\` command, daemon) | $re_med | ${re_daemon[*]} | |
| unchanged rebuild, fresh process | $re_fresh_med | ${re_fresh[*]} | |

Cold build: Accretion is $(echo "scale=1; $npm_med / $acc_med" | bc)x faster than npm ci + zip ($(echo "scale=1; $npm_med / $fresh_med" | bc)x in a fresh process).
REPORT
