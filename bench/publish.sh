#!/usr/bin/env bash
# Publishing one layer to 8 regions vs to 1 region, against moto on loopback, in the same run.
# Goal (issue 5): 8 regions within 1.5x the wall time of 1.
#
#   1. library: LayerPublisher.publish (dev.accretion.aws.PublishBench), warm JVM, a new version
#      each time, median of ROUNDS, once against bare moto and then through a proxy that adds
#      LATENCY_MS to every request, for each LATENCY_MS given (what a real AWS endpoint costs
#      from afar; moto answers in a few ms); moto's own CPU time is printed beside each;
#   2. CLI: `./accretion publish <zip> --layer ... --regions ...` as a fresh process each time
#      (the launcher's JVM flags and class-data sharing archive, JVM start included: what a user
#      or CI job sees), median of ROUNDS, bare moto.
#
# Usage: bench/publish.sh [ROUNDS] [LATENCY_MS...]      (defaults: 7 rounds, 50 and 150 ms)
# Starts its own moto server on a free loopback port and stops it; needs python3.11 with moto.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
shift || true
latencies=("${@:-50 150}")
read -r -a latencies <<<"${latencies[*]}"

# shellcheck source=../.mvn/jdk.sh
. .mvn/jdk.sh
accretion_find_jdk || exit 1
java_bin="$ACCRETION_JAVA_HOME/bin/java"

echo "building (test classes of accretion-aws, the CLI jar)..." >&2
./mvnw -q -B -pl accretion-cli -am package -DskipTests -Dspotless.check.skip=true >&2
./mvnw -q -B -pl accretion-aws -am test-compile -Dspotless.check.skip=true >&2
cp_file=$(mktemp)
./mvnw -q -B -pl accretion-aws dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
# the reactor's own classes first: the local repository may hold other builds of them
cp="accretion-aws/target/test-classes:accretion-aws/target/classes:accretion-core/target/classes"
cp="$cp:accretion-testkit/target/classes:$(cat "$cp_file")"

python=$(command -v python3.11 || command -v python3)
port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
work=$(mktemp -d)
"$python" -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; rm -rf "$work" "$cp_file"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1 && break
  sleep 0.2
done
endpoint="http://127.0.0.1:$port"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), $("$java_bin" -version 2>&1 | head -1)," \
  "moto $("$python" -c 'import moto; print(moto.__version__)')"

echo
echo "== library, bare moto =="
ACCRETION_TEST_MOTO_ENDPOINT=$endpoint "$java_bin" -Dmoto.pid="$moto_pid" -cp "$cp" \
  dev.accretion.aws.PublishBench "$rounds" 0 2>&1 |
  grep -v '^SLF4J'
for latency in "${latencies[@]}"; do
  echo
  echo "== library, moto behind a proxy adding ${latency} ms per request =="
  ACCRETION_TEST_MOTO_ENDPOINT=$endpoint "$java_bin" -Dmoto.pid="$moto_pid" -cp "$cp" \
    dev.accretion.aws.PublishBench "$rounds" "$latency" 2>&1 |
    grep -v '^SLF4J'
done

echo
echo "== CLI process (accretion publish <zip>), bare moto =="
regions8="us-east-1,us-west-2,eu-west-1,eu-central-1,ap-southeast-1,ap-northeast-1,sa-east-1,ca-central-1"
make_zip() { # $1 = path without .zip, $2 = a version that makes the bytes new
  "$python" - "$1" "$2" <<'EOF'
import json, sys, zipfile
path, version = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(path + ".zip", "w") as z:
    info = zipfile.ZipInfo("python/requests/__init__.py", (1980, 1, 1, 0, 0, 0))
    z.writestr(info, "__version__ = '%s'\n" % version)
json.dump({"packages": [{"name": "requests", "version": version}],
           "runtimes": ["python3.12"], "architectures": ["x86_64"]}, open(path + ".json", "w"))
EOF
}
cli() { # $1 = zip, $2 = layer, $3 = regions; prints wall ms
  local start end
  start=$(date +%s%N)
  AWS_ENDPOINT_URL=$endpoint AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    ./accretion publish "$1" --layer "$2" --regions "$3" --json >"$work/cli.json"
  end=$(date +%s%N)
  grep -q '"published" : true' "$work/cli.json" || { echo "publish did not create a version" >&2; exit 1; }
  echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
make_zip "$work/warm" "0.0.0"
# twice: the first run writes the launcher's class-data sharing archive; and moto's backends
cli "$work/warm.zip" "bench-cli-warm-$$" "$regions8" >/dev/null
make_zip "$work/warm" "0.0.1"
cli "$work/warm.zip" "bench-cli-warm-$$" "$regions8" >/dev/null
one=()
eight=()
for i in $(seq 1 "$rounds"); do
  make_zip "$work/z$i" "2.$i.0"
  one+=("$(cli "$work/z$i.zip" "bench-cli1-$$" us-east-1)")
  eight+=("$(cli "$work/z$i.zip" "bench-cli8-$$" "$regions8")")
  echo "round $i: 1 region ${one[-1]} ms, 8 regions ${eight[-1]} ms"
done
m1=$(printf '%s\n' "${one[@]}" | median)
m8=$(printf '%s\n' "${eight[@]}" | median)
echo "median: 1 region $m1 ms, 8 regions $m8 ms, ratio $(awk "BEGIN {printf \"%.2f\", $m8/$m1}")"
