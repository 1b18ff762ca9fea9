#!/usr/bin/env bash
# Added latency of cred-proxy plus its egress leg versus the TLS origin direct, keep-alive,
# one client connection, everything on 127.0.0.1 in one JVM. Bounded: at most 3 minutes of
# measuring. Usage: bench/cred-proxy.sh [ROUNDS] [REQUESTS_PER_ROUND] [egress|tunnel]
# "egress" (default) puts egress-proxy (TLS bump, allowlist, DLP) behind cred-proxy; "tunnel"
# a plain CONNECT relay, which shows cred-proxy's own share.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-10}"
per_round="${2:-2000}"
leg="${3:-egress}"
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT

mvn -q -o -pl cred-proxy -am install -DskipTests -Dmaven.test.skip.exec=true
mvn -q -o -f cred-proxy/pom.xml test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"

exec java -Xms256m -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "cred-proxy/target/test-classes:cred-proxy/target/classes:$(cat "$classpath_file")" \
    dev.claudebottle.credproxy.bench.LatencyBench "$rounds" "$per_round" "$leg"
