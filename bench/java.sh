#!/usr/bin/env bash
# Java layer benchmark: accretion against mvn + zip, measured in the same run.
#
#   bench/java.sh [RUNS]        (default 3; prints a Markdown report on stdout)
#
# 1. cold build of a 40+ jar set (AWS SDK v2 s3/dynamodb/sqs/sns through its BOM, the Lambda
#    core and events libraries, Jackson, Logback) for java21/x86_64, with an empty local
#    repository for both:
#      accretion: `./accretion build pom.xml --runtime java21 --cache-dir <empty>`
#      peer:      `mvn -Dmaven.repo.local=<empty> dependency:copy-dependencies
#                  -DincludeScope=runtime` then `zip -qrX` of the same java/lib layout
#    (both download from Maven Central; mvn also downloads the dependency plugin and its
#    dependencies, which is part of what an empty local repository costs it).
# 2. unchanged rebuild: the whole `./accretion build` process again with the cache warm.
# The peer is the Maven on PATH (MVN overrides).
# BENCH_MAIN=1 runs the pipeline call in a fresh JVM instead of the CLI
# (dev.accretion.java.JavaBenchMain on the module's test class path).
set -euo pipefail
# a fresh JVM per `accretion build`, as these results were recorded before the build daemon
# (bench/node.sh measures both); ACCRETION_DAEMON=on measures builds in a daemon instead
export ACCRETION_DAEMON=${ACCRETION_DAEMON:-off}
cd "$(dirname "$0")/.."
runs=${1:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/accretion-bench-java.XXXXXX")
trap 'rm -rf "$work"' EXIT
mvn=${MVN:-mvn}

. .mvn/jdk.sh
accretion_find_jdk || exit 1
java="$ACCRETION_JAVA_HOME/bin/java"
if [ -n "${BENCH_MAIN:-}" ]; then
  ./mvnw -q -B -o -pl accretion-java -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test -Dspotless.check.skip=true
  cp="accretion-java/target/test-classes:accretion-java/target/classes:$(cat accretion-java/target/test-classpath.txt)"
  accretion_build() { # LISTING CACHE OUT
    "$java" -cp "$cp" dev.accretion.java.JavaBenchMain "$1" java21 x86_64 "$2" "$3"
  }
else
  ./accretion --version >/dev/null # builds the CLI if needed and records its start-up cache
  ./accretion --version >/dev/null
  accretion_build() { # LISTING CACHE OUT
    ./accretion build "$1" --runtime java21 --arch x86_64 --cache-dir "$2" --output "$3" --json
  }
fi

mkdir -p "$work/set"
cat >"$work/set/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.accretion.bench</groupId>
  <artifactId>java-bench</artifactId>
  <version>1.0</version>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>software.amazon.awssdk</groupId><artifactId>bom</artifactId>
        <version>2.57.8</version><type>pom</type><scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>software.amazon.awssdk</groupId><artifactId>s3</artifactId></dependency>
    <dependency><groupId>software.amazon.awssdk</groupId><artifactId>dynamodb</artifactId></dependency>
    <dependency><groupId>software.amazon.awssdk</groupId><artifactId>sqs</artifactId></dependency>
    <dependency><groupId>software.amazon.awssdk</groupId><artifactId>sns</artifactId></dependency>
    <dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-core</artifactId><version>1.2.3</version></dependency>
    <dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-events</artifactId><version>3.14.0</version></dependency>
    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.21.3</version></dependency>
    <dependency><groupId>ch.qos.logback</groupId><artifactId>logback-classic</artifactId><version>1.5.35</version></dependency>
  </dependencies>
</project>
POM

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cold=()
for i in $(seq "$runs"); do
  rm -rf "$work/cache" "$work/dist"
  t0=$(now)
  accretion_build "$work/set/pom.xml" "$work/cache" "$work/dist" >"$work/cold.out" 2>"$work/cold.err" \
    || { cat "$work/cold.err" >&2; exit 1; }
  t1=$(now)
  cold+=("$(elapsed "$t0" "$t1")")
done
acc_zip=$(ls "$work"/dist/*.zip)
acc_zipped=$(stat -c %s "$acc_zip")
acc_jars=$(unzip -Z1 "$acc_zip" | grep -c '^java/lib/.*\.jar$')

peer=()
for i in $(seq "$runs"); do
  rm -rf "$work/m2" "$work/mvn" "$work/mvn.zip"
  t0=$(now)
  "$mvn" -B -q -f "$work/set/pom.xml" -Dmaven.repo.local="$work/m2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$work/mvn/java/lib" >"$work/mvn.log" 2>&1 \
    || { cat "$work/mvn.log" >&2; exit 1; }
  (cd "$work/mvn" && zip -qrX "$work/mvn.zip" java)
  t1=$(now)
  peer+=("$(elapsed "$t0" "$t1")")
done
mvn_jars=$(ls "$work/mvn/java/lib" | grep -c '\.jar$')
mvn_zipped=$(stat -c %s "$work/mvn.zip")

# same jars, same bytes
diff <(cd "$work/mvn/java/lib" && sha256sum * | sort -k2) \
  <(mkdir -p "$work/acc" && cd "$work/acc" && unzip -q "$acc_zip" 'java/lib/*' && cd java/lib && sha256sum * | sort -k2) \
  >/dev/null || echo "warning: the jar sets differ" >&2

rebuild=()
for i in $(seq $((runs + 2))); do
  t0=$(now)
  accretion_build "$work/set/pom.xml" "$work/cache" "$work/dist" >"$work/re.out" 2>/dev/null
  t1=$(now)
  rebuild+=("$(elapsed "$t0" "$t1")")
done

cold_m=$(printf '%s\n' "${cold[@]}" | median)
peer_m=$(printf '%s\n' "${peer[@]}" | median)
re_m=$(printf '%s\n' "${rebuild[@]}" | median)
speedup=$(echo "scale=1; $peer_m / $cold_m" | bc)

cat <<REPORT
## Java layer: accretion build vs mvn dependency:copy-dependencies + zip

Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); $("$mvn" -v 2>/dev/null | head -1); $("$java" -version 2>&1 | head -1)
Set: AWS SDK v2 s3, dynamodb, sqs, sns (BOM 2.57.8), aws-lambda-java-core/events, jackson-databind, logback-classic — $acc_jars jars (mvn: $mvn_jars) for java21/x86_64. Empty local repository for both, Maven Central over the network; median of $runs runs.

| | seconds (median) | runs | zip bytes |
|---|---|---|---|
| accretion build, cold | $cold_m | ${cold[*]} | $acc_zipped |
| mvn copy-dependencies + zip -qrX, cold | $peer_m | ${peer[*]} | $mvn_zipped |
| accretion build, unchanged rebuild | $re_m | ${rebuild[*]} | |

Speed-up, cold: ${speedup}x (goal 5x). Unchanged rebuild goal: under 0.5 s.
REPORT
