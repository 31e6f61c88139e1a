#!/usr/bin/env bash
# Fast start: makes the class archive the JVM maps at start instead of loading and linking
# thousands of classes one by one, with a training run of the service.
#
#   scripts/aot-cache.sh [DIR] [JVM flags...]
#
# DIR (default target/fast-start) gets the extracted jar (DIR/llmspell.jar + DIR/lib/, from
# $LLMSPELL_JAR, default target/llmspell.jar, unless DIR already has it), the archive, and
# DIR/jvm.args, the flag that uses it. Start the service with the same JVM flags:
#
#   java [JVM flags...] @DIR/jvm.args -jar DIR/llmspell.jar
#
# Java 25+: the JEP 483/514 AOT cache (-XX:AOTCacheOutput, then -XX:AOTCache=DIR/app.aot).
# Java 17-24: an AppCDS dynamic archive (-XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile=DIR/app.jsa).
# The java is $JAVA_HOME/bin/java, else the one on the PATH. Redo it after every new jar or JDK:
# the JVM ignores (with a warning) an archive made by another JVM or from other jars.
# The training run starts the service with the mock provider on a free port; once it is ready it
# asks itself what clients and probes ask first (health, the catalog, runs of the hello and
# async-callbacks spells in SSE, NDJSON and JSON, a 404 problem, the metrics) and exits
# (-Dllmspell.training-run.enabled=true), so the archive also holds the request path's classes.
# The rest of the environment (LLMSPELL_*, SPRING_*) is yours, as for the real start.
set -euo pipefail

DIR="${1:-target/fast-start}"
[ $# -gt 0 ] && shift
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR="${LLMSPELL_JAR:-target/llmspell.jar}"

if [ ! -f "$DIR/llmspell.jar" ]; then
  [ -f "$JAR" ] || { echo "no $JAR: build it first (./mvnw -DskipTests package)" >&2; exit 1; }
  rm -rf "$DIR"
  "$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$DIR"
fi
DIR="$(cd "$DIR" && pwd)"

version="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')"
if [ "${version%%.*}" -ge 25 ]; then
  archive="$DIR/app.aot"
  record="-XX:AOTCacheOutput=$archive"
  use="-XX:AOTCache=$archive"
else
  archive="$DIR/app.jsa"
  record="-XX:ArchiveClassesAtExit=$archive"
  use="-XX:SharedArchiveFile=$archive"
fi
rm -f "$archive" "$DIR/jvm.args"

echo "training run on Java $version: $record" >&2
"$JAVA" "$@" "$record" -Dllmspell.training-run.enabled=true -jar "$DIR/llmspell.jar" \
  --server.port=0 --llmspell.llm.provider=mock > "$DIR/training.log" 2>&1 || {
  echo "the training run failed; see $DIR/training.log" >&2
  exit 1
}
[ -f "$archive" ] || { echo "no $archive written; see $DIR/training.log" >&2; exit 1; }
echo "$use" > "$DIR/jvm.args"
echo "wrote $archive ($(du -h "$archive" | cut -f1)); start with:" >&2
echo "java $* @$DIR/jvm.args -jar $DIR/llmspell.jar"
