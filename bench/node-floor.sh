#!/usr/bin/env bash
# What stands between a cold Node.js build and the 5x goal: the floors, measured in one run
# beside the peer. On bench/node-set (nodejs22.x, x86_64), ROUNDS times, alternating:
#   npm       `npm ci --omit=dev --ignore-scripts` with an empty cache + `zip -qrX` (the peer)
#   accretion `./accretion build` with an empty cache (the whole CLI process)
#   jdk-fetch a fresh JVM that only downloads the tarballs Accretion fetches, with the JDK's
#             HTTP/2 client, 32 at once (bench/NodeFloor.java download, compiled first), from
#             the first request to the last byte
#   curl      `curl --parallel --parallel-max 32` of the same tarballs (one HTTP/2 connection):
#             the network's own floor
# then once: one JVM running `accretion build` ROUNDS+2 times in process, each with a new empty
# cache (bench/NodeFloor.java warm): runs 3.. are cold-cache builds with every class loaded and
# the hot code compiled, the most a long-lived build server could give.
#
#   bench/node-floor.sh [ROUNDS]   (default 3; Markdown report on stdout)
#
# Needs node (to list the tarball URLs from the lock), npm, zip and curl.
set -euo pipefail
# a fresh JVM per `accretion build`, as these results were recorded before the build daemon
# (bench/node.sh measures both); ACCRETION_DAEMON=on measures builds in a daemon instead
export ACCRETION_DAEMON=${ACCRETION_DAEMON:-off}
cd "$(dirname "$0")/.."
rounds=${1:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-node-floor.XXXXXX")
trap 'rm -rf "$work"' EXIT
set_dir=bench/node-set
# shellcheck source=npm-peer.sh
. bench/npm-peer.sh
for tool in node npm zip curl bc; do
  command -v "$tool" >/dev/null || { echo "node-floor: $tool is needed" >&2; exit 1; }
done

./accretion --version >/dev/null # builds the CLI if needed
# shellcheck source=../.mvn/jdk.sh
. .mvn/jdk.sh
accretion_find_jdk || exit 1
java="$ACCRETION_JAVA_HOME/bin/java"
jar=accretion-cli/target/accretion.jar

now() { date +%s.%N; }
elapsed() { printf "%.2f" "$(echo "$2 - $1" | bc)"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# the tarballs Accretion fetches: its manifest's packages, looked up in the lock
./accretion build "$set_dir/package.json" --runtime nodejs22.x --arch x86_64 \
  --cache-dir "$work/c0" --output "$work/d0" --json >"$work/build.json" 2>"$work/build.err" \
  || { cat "$work/build.err" >&2; exit 1; }
node -e '
  const fs = require("fs");
  const built = JSON.parse(fs.readFileSync(process.argv[1]));
  const lock = JSON.parse(fs.readFileSync(process.argv[2]));
  const want = new Set(built.artifacts[0].packages.map(p => p.name + "@" + p.version));
  const urls = new Set();
  for (const [path, e] of Object.entries(lock.packages)) {
    const name = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    if (e.resolved && want.has(name + "@" + e.version)) urls.add(e.resolved);
  }
  fs.writeFileSync(process.argv[3], [...urls].join("\n") + "\n");
' "$work/build.json" "$set_dir/package-lock.json" "$work/urls"
count=$(wc -l <"$work/urls")
awk -v dir="$work/curl" '{print "url = \"" $0 "\""; print "output = \"" dir "/" NR ".tgz\""}' \
  "$work/urls" >"$work/curl.cfg"
"$ACCRETION_JAVA_HOME/bin/javac" -nowarn -cp "$jar" -d "$work/classes" bench/NodeFloor.java
floor_cp="$jar:$work/classes"

npm_runs=() acc_runs=() jdk_runs=() jdk_cpu=() curl_runs=()
for i in $(seq "$rounds"); do
  npm_runs+=("$(npm_peer "$work" "$set_dir")")

  rm -rf "$work/cache" "$work/dist"
  t0=$(now)
  ./accretion build "$set_dir/package.json" --runtime nodejs22.x --arch x86_64 \
    --cache-dir "$work/cache" --output "$work/dist" --json >/dev/null 2>"$work/cold.err" \
    || { cat "$work/cold.err" >&2; exit 1; }
  acc_runs+=("$(elapsed "$t0" "$(now)")")

  rm -rf "$work/jdk"
  line=$("$java" -XX:+UseSerialGC -cp "$floor_cp" NodeFloor download "$work/urls" "$work/jdk")
  jdk_runs+=("$(echo "$line" | sed -E 's/.* in ([0-9.]+) s.*/\1/')")
  jdk_cpu+=("$(echo "$line" | sed -E 's/.*cpu ([0-9.]+) s.*/\1/')")

  rm -rf "$work/curl"
  mkdir -p "$work/curl"
  t0=$(now)
  curl -sS --no-progress-meter --fail --parallel --parallel-max 32 -K "$work/curl.cfg"
  curl_runs+=("$(elapsed "$t0" "$(now)")")
done

warm_out=$("$java" -XX:+UseSerialGC -cp "$floor_cp" NodeFloor warm $((rounds + 2)) \
  "$PWD/$set_dir/package.json" "$work/warm")
warm_wall=() warm_cpu=()
while read -r _ _ n wall _ _ cpu _; do
  n=${n%:}
  if [ "$n" -ge 3 ]; then
    warm_wall+=("$wall")
    warm_cpu+=("$cpu")
  fi
done <<<"$warm_out"

npm_med=$(printf '%s\n' "${npm_runs[@]}" | median)
budget=$(echo "scale=2; $npm_med / 5" | bc)
acc_med=$(printf '%s\n' "${acc_runs[@]}" | median)
jdk_med=$(printf '%s\n' "${jdk_runs[@]}" | median)
jdk_cpu_med=$(printf '%s\n' "${jdk_cpu[@]}" | median)
curl_med=$(printf '%s\n' "${curl_runs[@]}" | median)
warm_med=$(printf '%s\n' "${warm_wall[@]}" | median)
warm_cpu_med=$(printf '%s\n' "${warm_cpu[@]}" | median)
cores=$(nproc)

cat <<REPORT
## Floors under a cold Node.js build ($(date -u +%Y-%m-%d), $rounds rounds, median)

Set: bench/node-set, nodejs22.x on x86_64: $count tarballs. $cores cores; load average $(cut -d' ' -f1-3 /proc/loadavg).

| | median (s) | runs (s) |
|---|---|---|
| peer: \`npm ci --omit=dev --ignore-scripts\`, empty cache, + \`zip -qrX\` | $npm_med | ${npm_runs[*]} |
| **the 5x budget** (peer / 5) | **$budget** | |
| \`accretion build\`, empty cache (whole CLI process) | $acc_med | ${acc_runs[*]} |
| a fresh JVM only downloading the tarballs (JDK HTTP/2 client, 32 at once) | $jdk_med (CPU $jdk_cpu_med) | ${jdk_runs[*]} |
| \`curl --parallel\` downloading the same tarballs | $curl_med | ${curl_runs[*]} |
| \`accretion build\`, empty cache, in a warm JVM (runs 3.. of one process) | $warm_med (CPU $warm_cpu_med) | ${warm_wall[*]} |

Cold build: $(echo "scale=1; $npm_med / $acc_med" | bc)x faster than the peer; in a warm JVM $(echo "scale=1; $npm_med / $warm_med" | bc)x.
A warm JVM's cold-cache build needs $warm_cpu_med s of CPU: on $cores cores no schedule finishes it in under $(echo "scale=2; $warm_cpu_med / $cores" | bc) s.
REPORT
