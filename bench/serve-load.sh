#!/usr/bin/env bash
# Load on the service (issue 12): CLIENTS concurrent clients reading /layers/{name}/versions and
# /arn for SECONDS on loopback, on the embedded database or on PostgreSQL, against moto.
# Prints throughput, p50/p99 and errors (record them in bench/RESULTS.md with the machine).
# Usage: bench/serve-load.sh [embedded|postgres] [CLIENTS=200] [SECONDS=30]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-embedded}
clients=${2:-200}
seconds=${3:-30}
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-serve-load.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ "$mode" = postgres ]; then dropdb -h 127.0.0.1 -U postgres --if-exists "${db:-none}" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# SKIP_PACKAGE=1 uses the accretion.jar built already (e.g. by the last verify); SERVE_JAVA_OPTS
# adds JVM flags to the service (e.g. a JFR recording)
if [ "${SKIP_PACKAGE:-0}" != 1 ] || [ ! -f accretion-cli/target/accretion.jar ]; then
  ./mvnw -q -B -o package -pl accretion-cli -am -DskipTests
fi
# shellcheck source=../.mvn/jdk.sh
. .mvn/jdk.sh
accretion_find_jdk || exit 1
java_bin="$ACCRETION_JAVA_HOME/bin/java"
jar=${ACCRETION_JAR:-accretion-cli/target/accretion.jar}

python=$(command -v python3.11 || command -v python3)
port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
  "$python" -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
  pids+=($!)
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -fs "$AWS_ENDPOINT_URL/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
fi
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1

db_args=()
if [ "$mode" = postgres ]; then
  db="accretion_bench_$$"
  createdb -h 127.0.0.1 -U postgres "$db"
  db_args=(--database "jdbc:postgresql://127.0.0.1:5432/$db?user=postgres")
fi
token=$("$java_bin" -jar "$jar" serve token create --scope write --data-dir "$work/data" "${db_args[@]}")
# -XX:+UseSerialGC as the ./accretion launcher runs every command, `serve` included
"$java_bin" -XX:+UseSerialGC ${SERVE_JAVA_OPTS:-} -jar "$jar" serve --port 0 --data-dir "$work/data" "${db_args[@]}" >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
pids+=($serve_pid)
# CPU seconds the service process has used (user + system), from /proc
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$serve_pid/stat"; }
for _ in $(seq 1 300); do grep -q "serving on" "$work/serve.out" 2>/dev/null && break; sleep 0.2; done
base=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/serve.out")
# /health answers 503 until the database is migrated and the job runner is up
for _ in $(seq 1 300); do curl -fs "$base/health" >/dev/null 2>&1 && break; sleep 0.2; done
auth="Authorization: Bearer $token"
curl -fs -H "$auth" -H 'Content-Type: application/json' "$base/api/v1/layers" -d '{
  "name": "bench-deps", "listing": {"filename": "requirements.txt", "content": "idna\ncertifi\n"},
  "targets": [{"runtime": "python3.12", "arch": "x86_64"}], "regions": ["us-east-1"]}' >/dev/null
id=$(curl -fs -X POST -H "$auth" "$base/api/v1/layers/bench-deps/builds" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 1 600); do
  status=$(curl -fs -H "$auth" "$base/api/v1/builds/$id" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  [ "$status" = succeeded ] && break
  [ "$status" = failed ] && { echo "the build failed" >&2; exit 1; }
  sleep 0.5
done
echo "machine: $(nproc) cores, $(uname -sr); mode: $mode" >&2
versions_path="/api/v1/layers/bench-deps/versions?region=us-east-1"
arn_path="/api/v1/layers/bench-deps/arn?region=us-east-1&runtime=python3.12&arch=x86_64"
# The load client: wrk (C, epoll, two threads: the least CPU taken from the service on the same
# two cores) when installed (apt-get install wrk), else bench/ServeLoad.java (one platform thread
# per client). LOAD_CLIENT=java forces the latter. Both are closed loops: each of CLIENTS
# connections sends its next request when the last answer arrived.
if [ "${LOAD_CLIENT:-wrk}" = wrk ] && command -v wrk >/dev/null; then
  cat >"$work/paths.lua" <<LUA
local paths = {"$versions_path", "$arn_path"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % 2) + 1])
end
LUA
  headers=(-H "Authorization: Bearer $token" -H "Accept: application/json")
  # warm-up (not counted), then the measured run
  wrk -t2 -c"$clients" -d"${WARMUP:-5}s" "${headers[@]}" -s "$work/paths.lua" "$base" >/dev/null
  cpu0=$(cpu_seconds)
  wrk -t2 -c"$clients" -d"${seconds}s" --latency "${headers[@]}" -s "$work/paths.lua" "$base" \
    | tee "$work/wrk.out"
  cpu1=$(cpu_seconds)
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  # the service's own CPU per request: a measure the machine's other load disturbs far less
  # than latency or throughput
  echo "service CPU: $(echo "$cpu1 - $cpu0" | bc) s for $requests requests =" \
    "$(echo "scale=1; ($cpu1 - $cpu0) * 1000000 / $requests" | bc) us per request"
  if grep -qE "Non-2xx|Socket errors" "$work/wrk.out"; then
    echo "errors: see above" >&2
    exit 1
  fi
  echo "clients $clients, $seconds s (wrk): errors 0"
else
  "$java_bin" bench/ServeLoad.java "$base" "$token" "$clients" "$seconds" "$versions_path" "$arn_path"
fi
