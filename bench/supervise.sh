#!/usr/bin/env bash
# Round-trip latency of supervise on 127.0.0.1 in one JVM: a read-only list-egress call, and an
# egress-block call from POST to the approved reply with the approval written as soon as the
# request file appears. Bounded by the call counts and a 10 s timeout per call.
# Usage: bench/supervise.sh [LIST_CALLS] [REQUEST_CALLS]
set -euo pipefail
cd "$(dirname "$0")/.."

list_calls="${1:-500}"
request_calls="${2:-100}"
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT

mvn -q -o -pl supervise -am install -DskipTests
mvn -q -o -f supervise/pom.xml test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"

exec java -Xms256m -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "supervise/target/test-classes:supervise/target/classes:$(cat "$classpath_file")" \
    dev.claudebottle.supervise.bench.RoundTripBench "$list_calls" "$request_calls"
