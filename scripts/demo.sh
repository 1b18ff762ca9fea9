#!/usr/bin/env bash
# The claude-bottle demo: runs real bottles from examples/demo/ against local stand-ins for
# the remote services and prints each step with its outcome.
#
#   1. `claude -p "hello there"` gets its reply through cred-proxy and egress-proxy's TLS interception;
#      the Messages API stand-in checks the token that cred-proxy injected (the agent never
#      holds it)
#   2. curl to a host not on the allowlist gets 403 from egress-proxy
#   3. curl POST of a credential-shaped body to an allowed host gets 403 from DLP
#   4. a commit with an AWS-style key is rejected by git-gate (gitleaks); a clean commit
#      pushed next reaches the SSH stand-in
#
# Usage: scripts/demo.sh [--real] [--keep-going]
#   --real         step 1 talks to the real Anthropic API with the token in
#                  CLAUDE_BOTTLE_OAUTH_TOKEN (your own; it reaches only the bottle's bundle)
#   --keep-going   run every step even after one fails
#
# It first makes the machine ready (scripts/prepare-machine.sh), then builds what is missing:
# the jars, the bundle image and the agent image (Claude Code from npm; the host's CA bundle is
# trusted during that build). Everything it starts is removed at the end, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

REAL=0 KEEP_GOING=0
while (($#)); do
  case $1 in
    --real) REAL=1 ;;
    --keep-going) KEEP_GOING=1 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: error: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '\n== %s\n' "$*"; }
note() { printf '   %s\n' "$*"; }
die() { printf 'demo: error: %s\n' "$*" >&2; exit 1; }

if [[ $REAL -eq 1 && -z ${CLAUDE_BOTTLE_OAUTH_TOKEN:-} ]]; then
  die "--real needs your token in CLAUDE_BOTTLE_OAUTH_TOKEN (from \`claude setup-token\`); export it and run again"
fi

# ---- Make the machine ready and build what is missing.
say "preparing the machine (Docker engine, gitleaks, debian:trixie-slim)"
bash scripts/prepare-machine.sh
if [[ ! -f launcher/target/launcher.jar || ! -f bundle-init/target/bundle-init.jar ]]; then
  say "building the jars"
  mvn -q -B -ntp -pl launcher,bundle-init -am package -DskipTests
fi
BUILD_CA=()
[[ -r /etc/ssl/certs/ca-certificates.crt ]] && BUILD_CA=(--build-ca /etc/ssl/certs/ca-certificates.crt)
if ! docker image inspect claude-bottle/agent >/dev/null 2>&1; then
  say "building the images (the agent image installs Claude Code from npm; a few minutes)"
  bash scripts/build-images.sh --skip-jar --agent "${BUILD_CA[@]}"
elif ! docker image inspect claude-bottle/bundle >/dev/null 2>&1; then
  say "building the bundle image"
  bash scripts/build-images.sh --skip-jar
fi

# ---- Stand-ins and manifests, in a folder of this run.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/claude-bottle-demo.XXXXXX")
NETWORK=claude-bottle-demo-$$
cleanup() {
  bash "$ROOT/scripts/standins.sh" down "$WORK/standins" "$NETWORK" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting the stand-ins on network $NETWORK"
bash scripts/standins.sh up "$WORK/standins" "$NETWORK"
# shellcheck source=/dev/null
source "$WORK/standins/standins.env"

export CLAUDE_BOTTLE_HOME=$WORK/home
mkdir -p "$CLAUDE_BOTTLE_HOME/bottles" "$CLAUDE_BOTTLE_HOME/agents"
API_HOST=api.standin.test
if [[ $REAL -eq 1 ]]; then
  API_HOST=api.anthropic.com
else
  CLAUDE_BOTTLE_OAUTH_TOKEN=$(cat "$WORK/standins/token")
fi
export CLAUDE_BOTTLE_OAUTH_TOKEN
for file in bottles/demo.md agents/demo.md; do
  sed -e "s|@STANDINS@|$WORK/standins|g" -e "s|@KNOWN_HOST_KEY@|$STANDIN_KNOWN_HOST_KEY|g" \
    -e "s|@API_HOST@|$API_HOST|g" "examples/demo/$file" >"$CLAUDE_BOTTLE_HOME/$file"
done

# ---- The steps. Each runs in a fresh bottle, which the launcher removes when the command ends.
FAILED=0
bottle() {
  java -jar "$ROOT/launcher/target/launcher.jar" start demo --yes --bundle-network "$NETWORK" -- "$@" \
    >"$WORK/out" 2>"$WORK/err"
}
outcome() {
  if [[ $1 == pass ]]; then
    note "PASS: $2"
  else
    note "FAIL: $2"
    note "launcher and command output:"
    sed 's/^/     | /' "$WORK/out" "$WORK/err" | grep -v ' DEBUG ' | tail -25
    FAILED=$((FAILED + 1))
    [[ $KEEP_GOING -eq 1 ]] || exit 1
  fi
}
api_requests() { docker exec "$STANDIN_API_CONTAINER" cat /var/log/standin/requests.jsonl; }

say "1. claude -p \"hello there\" through cred-proxy and egress-proxy ($API_HOST)"
bottle claude -p "hello there" || true
note "claude answered: $(head -c 300 "$WORK/out")"
if [[ $REAL -eq 1 ]]; then
  [[ -s $WORK/out ]] && outcome pass "the real API answered" || outcome fail "no answer from the real API"
else
  last=$(api_requests | grep '"/v1/messages' | tail -n 1 || true)
  note "the stand-in received: $(python3 -c 'import json,sys; r=json.loads(sys.argv[1] or "{}"); print(r.get("method"), r.get("path"), "token ok" if r.get("authorized") else "NO TOKEN", str(r.get("body_bytes")) + " bytes")' "$last")"
  if grep -q "stand-in" "$WORK/out" && [[ $last == *'"authorized": true'* ]]; then
    outcome pass "Claude Code streamed the reply; the stand-in saw the injected token, which the agent never held"
  else
    outcome fail "Claude Code did not get the stand-in's reply with the injected token"
  fi
fi

say "2. curl https://blocked.example.test/ (not on the allowlist)"
bottle sh -c 'curl -sS -o /dev/null -w "%{http_connect}" https://blocked.example.test/ 2>/dev/null; exit 0' || true
note "egress-proxy answered the CONNECT with: $(cat "$WORK/out")"
[[ $(cat "$WORK/out") == 403 ]] && outcome pass "403, the host is not allowed" || outcome fail "expected 403"

say "3. curl -X POST of a credential-shaped body to https://api.standin.test/upload (allowed host)"
AWS_KEY="AKIA$(head -c 200 /dev/urandom | tr -dc 'A-Z2-7' | head -c 16)"
bottle sh -c "curl -sS -o /dev/null -w '%{http_code}' -X POST --data-binary 'aws_access_key_id=$AWS_KEY' https://api.standin.test/upload; exit 0" || true
note "egress-proxy answered the POST with: $(cat "$WORK/out")"
# egress-proxy forwards a request's head before it scans the body, so the stand-in may log an
# aborted POST /upload. The promise is that no byte of the body reaches it.
received=$(api_requests | python3 -c 'import json,sys; print(sum(json.loads(l)["body_bytes"] for l in sys.stdin if "/upload" in l))')
note "body bytes the stand-in received for /upload: $received"
if [[ $(cat "$WORK/out") == 403 && $received == 0 ]]; then
  outcome pass "403 from DLP; no byte of the body reached the stand-in"
else
  outcome fail "expected 403 from DLP and nothing at the stand-in"
fi

say "4. git push of a commit holding an AWS-style key, then of a clean commit"
bottle sh -c "cd ~ && git clone -q $STANDIN_GIT_UPSTREAM work 2>&1 && cd work || exit 1
echo 'aws_access_key_id = $AWS_KEY' > settings.ini && git add settings.ini && git commit -qm 'Add settings'
git push origin HEAD:main 2>&1 && echo LEAK_PUSHED
git checkout -q --orphan clean && git rm -rqf --cached . && rm settings.ini
echo 'hello from the bottle' > README.md && git add README.md && git commit -qm 'Add a README'
git push origin clean:main 2>&1 && echo CLEAN_PUSHED" || true
grep -i "gitleaks\|reject\|pushed" "$WORK/out" | sed 's/^/   | /' | head -8 || true
upstream=$(docker exec "$STANDIN_GIT_CONTAINER" git --git-dir /srv/git/demo.git log --format=%s main 2>/dev/null || true)
note "the SSH stand-in's main branch: ${upstream:-<empty>}"
if grep -q "CLEAN_PUSHED" "$WORK/out" && ! grep -q "LEAK_PUSHED" "$WORK/out" \
  && grep -Eq "remote rejected.*rule aws-access-(key-id|token)" "$WORK/out" \
  && [[ $upstream == "Add a README" ]]; then
  outcome pass "git-gate rejected the key (gitleaks rule aws-access-*) and forwarded the clean commit"
else
  outcome fail "expected a gitleaks rejection, then the clean commit upstream"
fi

say "done: $((4 - FAILED)) of 4 steps passed"
[[ $FAILED -eq 0 ]]
