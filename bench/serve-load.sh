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

# SKIP_PACKAGE=1 uses the accretion.jar built already (e.g. by the last verify)
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
"$java_bin" -jar "$jar" serve --port 0 --data-dir "$work/data" "${db_args[@]}" >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
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
"$java_bin" bench/ServeLoad.java "$base" "$token" "$clients" "$seconds" \
  /api/v1/layers/bench-deps/versions?region=us-east-1 \
  "/api/v1/layers/bench-deps/arn?region=us-east-1&runtime=python3.12&arch=x86_64"
