#!/usr/bin/env bash
# Measures `claude-bottle start <agent> --yes -- true` with the images already built, split
# into setup (everything before the command runs), command and teardown, as the launcher
# reports them with CLAUDE_BOTTLE_TIMINGS=1. Targets: setup under 3 s, teardown under 2 s.
#
# Usage: bench/launcher-start.sh [RUNS]   (default 5; needs Docker and the built launcher.jar)
# It creates a throwaway CLAUDE_BOTTLE_HOME with one bottle and one agent, and removes it after.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
JAR=launcher/target/launcher.jar
[[ -f $JAR ]] || { echo "launcher-start: error: $JAR is missing; run: mvn -pl launcher -am package -DskipTests" >&2; exit 1; }

HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
mkdir -p "$HOME_DIR/bottles" "$HOME_DIR/agents"
cat > "$HOME_DIR/bottles/bench.md" <<'MD'
---
supervise: false
---
A bottle for the start benchmark.
MD
cat > "$HOME_DIR/agents/bench.md" <<'MD'
---
bottle: bench
---
You are the benchmark agent.
MD

export CLAUDE_BOTTLE_HOME=$HOME_DIR CLAUDE_BOTTLE_TIMINGS=1
# The first run builds missing images and is not counted.
java -jar "$JAR" start bench --yes -- true >/dev/null 2>&1 </dev/null || true

printf '%-4s %10s %10s %10s %10s\n' run wall_ms setup_ms command_ms teardown_ms
for ((i = 1; i <= RUNS; i++)); do
  start=$(date +%s%N)
  line=$(java -jar "$JAR" start bench --yes -- true 2>&1 </dev/null | grep 'timings ' || true)
  end=$(date +%s%N)
  [[ -n $line ]] || { echo "launcher-start: error: run $i printed no timings; run it by hand to see why" >&2; exit 1; }
  setup=$(sed -n 's/.*setup_ms=\([0-9]*\).*/\1/p' <<<"$line")
  command=$(sed -n 's/.*command_ms=\([0-9]*\).*/\1/p' <<<"$line")
  teardown=$(sed -n 's/.*teardown_ms=\([0-9]*\).*/\1/p' <<<"$line")
  printf '%-4s %10s %10s %10s %10s\n' "$i" $(((end - start) / 1000000)) "$setup" "$command" "$teardown"
done
