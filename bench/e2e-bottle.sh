#!/usr/bin/env bash
# End-to-end figures of a real bottle, with the images already built:
#   - bottle start to the agent's first command (setup_ms) and teardown (teardown_ms), from the
#     launcher's CLAUDE_BOTTLE_TIMINGS line, for RUNS bottles running `true`
#   - Claude Code's first-token latency against the Messages API stand-in, reached directly (a
#     plain container on the stand-ins' network) and through a bottle (cred-proxy, then
#     egress-proxy's TLS interception and DLP), RUNS requests each, in one run of this script.
#     First token = from Claude Code's "requesting" status event to its first text_delta event
#     (`claude -p --output-format stream-json --verbose --include-partial-messages`).
#
# Usage: bench/e2e-bottle.sh [RUNS]   (default 5; needs scripts/demo.sh's prerequisites)
# All traffic stays on containers this script creates.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${1:-5}
JAR=$ROOT/launcher/target/launcher.jar
[[ -f $JAR ]] || { echo "bench: error: $JAR is missing; run mvn -pl launcher -am package -DskipTests" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/claude-bottle-bench.XXXXXX")
NETWORK=claude-bottle-bench-$$
trap 'bash "$ROOT/scripts/standins.sh" down "$WORK/standins" "$NETWORK" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
bash scripts/standins.sh up "$WORK/standins" "$NETWORK" 2>/dev/null
# shellcheck source=/dev/null
source "$WORK/standins/standins.env"
export CLAUDE_BOTTLE_HOME=$WORK/home CLAUDE_BOTTLE_OAUTH_TOKEN
CLAUDE_BOTTLE_OAUTH_TOKEN=$(cat "$WORK/standins/token")
mkdir -p "$CLAUDE_BOTTLE_HOME/bottles" "$CLAUDE_BOTTLE_HOME/agents"
for file in bottles/demo.md agents/demo.md; do
  sed -e "s|@STANDINS@|$WORK/standins|g" -e "s|@KNOWN_HOST_KEY@|$STANDIN_KNOWN_HOST_KEY|g" \
    -e "s|@API_HOST@|api.standin.test|g" "examples/demo/$file" >"$CLAUDE_BOTTLE_HOME/$file"
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Prints one first-token figure (ms) per request; run inside a container with Claude Code.
LOOP='for i in $(seq 1 '"$RUNS"'); do
  start=$(date +%s%N); requested=""
  claude -p "hello there" --output-format stream-json --verbose --include-partial-messages 2>/dev/null |
  while IFS= read -r line; do
    now=$(date +%s%N)
    case $line in
      *\"status\":\"requesting\"*) requested=$now ;;
      *text_delta*) echo "first_token_ms $(( (now - ${requested:-$start}) / 1000000 ))"; break ;;
    esac
  done
done'

echo "bench: bottle start and teardown ($RUNS bottles running true)" >&2
: >"$WORK/timings"
for _ in $(seq 1 "$RUNS"); do
  CLAUDE_BOTTLE_TIMINGS=1 java -jar "$JAR" start demo --yes --bundle-network "$NETWORK" -- true 2>&1 \
    | grep -o 'setup_ms=[0-9]* command_ms=[0-9]* teardown_ms=[0-9]*' >>"$WORK/timings"
done

echo "bench: first token, direct" >&2
docker run --rm --network "$NETWORK" -v "$WORK/standins/test-ca.pem:/ca.pem:ro" -e NODE_EXTRA_CA_CERTS=/ca.pem \
  -e ANTHROPIC_BASE_URL=https://api.standin.test -e CLAUDE_CODE_OAUTH_TOKEN="$CLAUDE_BOTTLE_OAUTH_TOKEN" \
  -e CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 claude-bottle/agent bash -c "$LOOP" >"$WORK/direct"

echo "bench: first token, through a bottle" >&2
java -jar "$JAR" start demo --yes --bundle-network "$NETWORK" -- bash -c "$LOOP" >"$WORK/bottled" 2>/dev/null

printf 'bottle setup_ms median     %s  (all: %s)\n' "$(grep -o 'setup_ms=[0-9]*' "$WORK/timings" | cut -d= -f2 | median)" \
  "$(grep -o 'setup_ms=[0-9]*' "$WORK/timings" | cut -d= -f2 | tr '\n' ' ')"
printf 'bottle teardown_ms median  %s  (all: %s)\n' "$(grep -o 'teardown_ms=[0-9]*' "$WORK/timings" | cut -d= -f2 | median)" \
  "$(grep -o 'teardown_ms=[0-9]*' "$WORK/timings" | cut -d= -f2 | tr '\n' ' ')"
printf 'first token direct ms median   %s  (all: %s)\n' "$(awk '{ print $2 }' "$WORK/direct" | median)" \
  "$(awk '{ print $2 }' "$WORK/direct" | tr '\n' ' ')"
printf 'first token bottled ms median  %s  (all: %s)\n' "$(awk '{ print $2 }' "$WORK/bottled" | median)" \
  "$(awk '{ print $2 }' "$WORK/bottled" | tr '\n' ' ')"
