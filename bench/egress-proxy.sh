#!/usr/bin/env bash
# egress-proxy.sh: measures egress-proxy next to a direct connection, squid (ssl_bump) and
# mitmproxy in one run of the shared proxybench harness (../shared/bench/run.sh), with hey as
# the client and nginx as the origin, all on loopback.
#
#   bench/egress-proxy.sh                       # full run (about 5 min), table printed at the end
#   bench/egress-proxy.sh --rounds 2 --duration 2 --warmup 0   # quick smoke run
#
# Extra arguments go to run.sh (--rounds, --duration, --warmup, --targets, --out).
# Needs root (the harness installs nothing itself: run ../shared/bench/setup.sh once first) and
# egress-proxy/target/egress-proxy.jar (built here with maven when missing).
#
# Environment:
#   PROXYBENCH_DIR      harness directory (default: ../shared/bench beside the repository)
#   EGRESS_BENCH_PORT   port the proxy listens on (default 13130)
#   EGRESS_BENCH_JAVA   JVM options. The default is the serial collector with a heap that starts
#                       at 32 MiB and may grow to 128 MiB, and 64 MiB of direct memory. Freed malloc
#                       memory goes back to the OS every second (egress-proxy/README.md, Memory).
#   MALLOC_ARENA_MAX    glibc malloc arenas for the proxy (default 2)
#
# The proxy scans every request byte with DLP (the default config), writes an audit line per
# request, uses native epoll and OpenSSL (BoringSSL) where they load, and one event loop per core.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${PROXYBENCH_DIR:-$ROOT/../shared/bench}
JAR=$ROOT/egress-proxy/target/egress-proxy.jar
PORT=${EGRESS_BENCH_PORT:-13130}

# Started by run.sh through bash -c with the BENCH_* variables: writes the config, runs the jar.
if [[ ${1:-} == --candidate-run ]]; then
  : "${BENCH_LISTEN_PORT:?} ${BENCH_ORIGIN_CA:?} ${BENCH_HOSTS_FILE:?} ${BENCH_ALLOW_HOSTS:?} ${BENCH_RUN_DIR:?}"
  config=$BENCH_RUN_DIR/egress.yaml
  {
    echo "listen: 127.0.0.1:$BENCH_LISTEN_PORT"
    echo "allowlist:"
    IFS=, read -ra hosts <<< "$BENCH_ALLOW_HOSTS"
    for host in "${hosts[@]}"; do
      echo "  - host: $host"
      echo "    allow_private: true"
    done
    echo "resolve:"
    # Pin every name of the harness's hosts file, so the proxy sends no DNS query.
    awk '!/^#/ && NF >= 2 { for (i = 2; i <= NF; i++) printf "  %s: %s\n", $i, $1 }' "$BENCH_HOSTS_FILE"
    echo "upstream_ca: [$BENCH_ORIGIN_CA]"
    echo "ca:"
    echo "  cert_out: $BENCH_RUN_DIR/ca.pem"
    echo "audit_log: $BENCH_RUN_DIR/audit.jsonl"
  } > "$config"
  # Decisions still go to the audit file; the per-decision INFO console line is left out.
  export EGRESS_LOG_LEVEL=${EGRESS_LOG_LEVEL:-WARN}
  # Two malloc arenas instead of one per thread: the JIT's freed work memory and BoringSSL's
  # buffers then share arenas (about 3 MiB less peak RSS measured).
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  # shellcheck disable=SC2086  # EGRESS_BENCH_JAVA holds several options
  exec java ${EGRESS_BENCH_JAVA:--Xms32m -Xmx128m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:TrimNativeHeapInterval=1000} \
    -jar "$JAR" --config "$config"
fi

[[ -x $HARNESS/run.sh ]] || { echo "egress-proxy.sh: harness not found at $HARNESS; set PROXYBENCH_DIR" >&2; exit 2; }
if [[ ! -f $JAR ]]; then
  (cd "$ROOT" && mvn -q -o -pl egress-proxy -am package -DskipTests)
fi

exec "$HARNESS/run.sh" \
  --candidate "bash $(printf %q "$ROOT/bench/egress-proxy.sh") --candidate-run" \
  --candidate-port "$PORT" \
  --candidate-ca '$BENCH_RUN_DIR/ca.pem' \
  --candidate-name egress \
  "$@"
