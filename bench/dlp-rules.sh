#!/usr/bin/env bash
# Measures dlp-rules' single-thread scan throughput with JMH and, on the same corpus, the time
# gitleaks takes for `gitleaks detect --no-git --source DIR`, then prints both in MB/s and their ratio.
#
# The corpus is at least 32 MiB of .java files unpacked from a JDK's lib/src.zip (the running
# JDK's, else the first under /usr/lib/jvm). MB here means 10^6 bytes.
#
# Environment:
#   BENCH_DIR     work directory for the corpus and results (default: a new temporary directory)
#   BENCH_MIB     corpus size in MiB (default 32)
#   BENCH_QUICK=1 shorter JMH run (1 warm-up and 2 measured iterations) for a smoke test
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-$(mktemp -d -t dlp-bench.XXXXXX)}
BENCH_MIB=${BENCH_MIB:-32}
CORPUS=$BENCH_DIR/corpus

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

command -v gitleaks >/dev/null || die "gitleaks is not on PATH; install Debian's gitleaks package (scripts/prepare-machine.sh does)"
mkdir -p "$BENCH_DIR"

log "building dlp-rules with the bench profile"
(cd "$ROOT" && mvn -q -pl dlp-rules -am -Pbench -DskipTests install \
  && mvn -q -pl dlp-rules -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$BENCH_DIR/classpath.txt")
CP="$ROOT/dlp-rules/target/classes:$ROOT/dlp-rules/target/jmh-classes:$(cat "$BENCH_DIR/classpath.txt")"

if [[ ! -d $CORPUS ]]; then
  java -cp "$CP" dev.claudebottle.dlp.bench.Corpus "$CORPUS" "$BENCH_MIB" >&2
fi
BYTES=$(find "$CORPUS" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
log "corpus: $BYTES bytes in $CORPUS"

JMH_ARGS=(-jvmArgsAppend "-Ddlp.bench.corpus=$CORPUS" -t 1 -f 1)
if [[ ${BENCH_QUICK:-0} == 1 ]]; then
  JMH_ARGS+=(-wi 1 -i 2 -w 3s -r 3s)
fi
log "running JMH (single thread)"
java -cp "$CP" org.openjdk.jmh.Main dev.claudebottle.dlp.bench.ScanBenchmark "${JMH_ARGS[@]}" | tee "$BENCH_DIR/jmh.txt"

# Times one gitleaks run in seconds; gitleaks' own exit code for findings is switched off.
time_gitleaks() {
  local start end
  start=$(date +%s%N)
  "$@" gitleaks detect --no-git --no-banner --log-level error --exit-code 0 --source "$CORPUS" >/dev/null
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}
log "running gitleaks detect --no-git on the same corpus (best of 2, all cores)"
G1=$(time_gitleaks); G2=$(time_gitleaks)
GITLEAKS_S=$(awk -v a="$G1" -v b="$G2" 'BEGIN { print (a < b ? a : b) }')
GITLEAKS_ONE_S=""
if command -v taskset >/dev/null; then
  log "running gitleaks pinned to one core"
  GITLEAKS_ONE_S=$(time_gitleaks taskset -c 0)
fi

score() { awk -v name="$1" '$1 ~ name && $2 == "avgt" { print $4 }' "$BENCH_DIR/jmh.txt"; }
# Fastest measured iteration of a benchmark: on a shared machine the mean also counts waiting for the CPU.
best() {
  awk -v name="$1" '/^# Benchmark:/ { on = ($3 ~ name) } on && /^Iteration/ { if (min == "" || $3 + 0 < min + 0) min = $3 + 0 } END { print min }' "$BENCH_DIR/jmh.txt"
}
SCAN_MS=$(score 'scanFiles$')
STREAM_MS=$(score 'streamFiles$')
SCAN_BEST_MS=$(best 'scanFiles$')
STREAM_BEST_MS=$(best 'streamFiles$')
awk -v bytes="$BYTES" -v scan="$SCAN_MS" -v stream="$STREAM_MS" -v scanbest="$SCAN_BEST_MS" -v streambest="$STREAM_BEST_MS" \
    -v g="$GITLEAKS_S" -v g1="$GITLEAKS_ONE_S" 'BEGIN {
  mb = bytes / 1e6
  printf "\n== dlp-rules vs gitleaks on %.1f MB of JDK sources ==\n", mb
  printf "dlp-rules scan (1 thread):    %8.1f MB/s mean, %.1f MB/s best iteration  (%.1f ms/op)\n", mb / (scan / 1000), mb / (scanbest / 1000), scan
  printf "dlp-rules stream (1 thread):  %8.1f MB/s mean, %.1f MB/s best iteration  (%.1f ms/op)\n", mb / (stream / 1000), mb / (streambest / 1000), stream
  printf "gitleaks detect (all cores):  %8.1f MB/s  (%.2f s)\n", mb / g, g
  if (g1 != "") printf "gitleaks detect (1 core):     %8.1f MB/s  (%.2f s)\n", mb / g1, g1
  printf "ratio scan/gitleaks: %.0fx (all cores)", (mb / (scan / 1000)) / (mb / g)
  if (g1 != "") printf ", %.0fx (1 core)", (mb / (scan / 1000)) / (mb / g1)
  printf "\n"
}'
