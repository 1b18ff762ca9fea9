#!/usr/bin/env bash
# The project's test command: makes this machine ready (Docker engine, gitleaks, the local
# debian:trixie-slim base image), then runs the whole Maven build with every test, and ends
# with one summary line counted from the Surefire reports.
#
# Usage: scripts/test.sh [extra mvn arguments, e.g. -pl egress-proxy -am]
# Environment:
#   DOCKERD_LOG   the engine's log file when this script starts it (printed when tests fail)
set -euo pipefail

cd "$(dirname "$0")/.."
export DOCKERD_LOG=${DOCKERD_LOG:-/var/log/claude-bottle-dockerd.log}

bash scripts/prepare-machine.sh

# The end-to-end tests run the real Claude Code in the agent image; they skip without it. Its
# npm install trusts the host's CA bundle, for networks that inspect TLS.
AGENT_IMAGE=${AGENT_IMAGE:-claude-bottle/agent:latest}
if ! docker image inspect "$AGENT_IMAGE" >/dev/null 2>&1; then
  echo "test: building $AGENT_IMAGE (Claude Code from npm, about two minutes)" >&2
  if [[ -r /etc/ssl/certs/ca-certificates.crt ]]; then
    cp /etc/ssl/certs/ca-certificates.crt docker/agent/extra-ca/extra-ca.pem
  fi
  build_status=0
  docker build -q -t "$AGENT_IMAGE" docker/agent >/dev/null || build_status=$?
  rm -f docker/agent/extra-ca/extra-ca.pem
  [[ $build_status -eq 0 ]] || { echo "test: error: building $AGENT_IMAGE failed; see docker's output above" >&2; exit 1; }
fi

mvn_args=(-B -ntp verify)
if [[ ${CI:-} == true ]]; then
  # A clean clone must not reuse snapshot jars of this project from an earlier build.
  mvn_args=(-B -ntp -U verify)
fi

status=0
mvn "${mvn_args[@]}" "$@" || status=$?

if [[ $status -ne 0 && -f $DOCKERD_LOG ]]; then
  printf '\n--- last 40 lines of the Docker engine log (%s) ---\n' "$DOCKERD_LOG"
  tail -n 40 "$DOCKERD_LOG" || true
fi

# One closing line for people and CI: totals over every module's Surefire and Failsafe reports.
python3 - <<'PY' || true
import glob, xml.etree.ElementTree as ET
# Count <testcase> elements: a class made of @Nested groups reports tests="0" on its suite.
passed = failed = skipped = 0
for path in glob.glob("**/target/*-reports/TEST-*.xml", recursive=True):
    try:
        suite = ET.parse(path).getroot()
    except ET.ParseError:
        continue
    for case in suite.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
