#!/usr/bin/env bash
# The llmspell benchmark, in one command:   ./bench/run.sh [--quick] [--scenarios=1,2,3,4,5,6] [--levels=100,500]
#
# Builds the service jar (target/llmspell.jar) and the harness jar (bench/target/llmspell-bench.jar)
# when they are missing or older than their sources, then runs the harness, which starts on
# 127.0.0.1 the fake OpenAI upstream (in the harness JVM), the plain WebFlux SSE endpoint and the
# service (child JVMs on $BENCH_JAVA_HOME), runs the scenarios, stops everything, prints a table
# and writes bench/results/latest.json. See docs/benchmarks.md.
#
# Environment:
#   BENCH_JAVA_HOME    JDK for the service, the plain endpoint and the harness (default: Temurin 25)
#   BENCH_JAVA17_HOME  JDK 17 for a second pass of scenario 3; empty to skip (default: the system JDK 17)
#   BENCH_MVN_OPTS     extra Maven options (default: -o, offline; set to "" to fetch from Maven Central)
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA25="${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA17="${BENCH_JAVA17_HOME-/usr/lib/jvm/java-17-openjdk-amd64}"
MVN_OPTS="${BENCH_MVN_OPTS--o}"

stale() { # stale <jar> <sources...>: missing, or older than any source
  local jar="$1"; shift
  [ ! -f "$jar" ] || [ -n "$(find "$@" -newer "$jar" -print -quit)" ]
}

if stale target/llmspell.jar src pom.xml; then
  echo "[bench] building the service jar"
  ./mvnw -B $MVN_OPTS -q -DskipTests package
fi
if stale bench/target/llmspell-bench.jar bench/src bench/pom.xml; then
  echo "[bench] building the harness jar"
  ./mvnw -B $MVN_OPTS -q -f bench/pom.xml package
fi

mkdir -p bench/results
# the bench's own spells plus the project's async-callbacks, as it is
rm -rf bench/results/spells
mkdir -p bench/results/spells
cp -R bench/spells/. spells/async-callbacks bench/results/spells/
set -o pipefail
"$JAVA25/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -jar bench/target/llmspell-bench.jar harness \
  --service-jar=target/llmspell.jar \
  --bench-jar=bench/target/llmspell-bench.jar \
  --java-home="$JAVA25" \
  --java17-home="$JAVA17" \
  --spells=bench/results/spells \
  --results=bench/results \
  "$@" 2>&1 | tee bench/results/latest.txt
