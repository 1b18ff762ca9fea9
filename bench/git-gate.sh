#!/usr/bin/env bash
# Times a push of 100 commits and fetches through git-gate against the same git commands run
# straight at the SSH upstream, in one run. Everything runs on 127.0.0.1: an in-process MINA SSHD
# upstream, the gate (real gitleaks), the git command line and the OpenSSH client.
#
# Usage: bench/git-gate.sh [rounds]   (default 5; prints medians in milliseconds)
# Needs: java 17, mvn, git, ssh, gitleaks on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in git ssh gitleaks java mvn; do
  command -v "$tool" >/dev/null || { echo "git-gate bench: $tool is not on PATH; install it first" >&2; exit 2; }
done

mvn -q -o -pl git-gate test-compile
classpath_file=$(mktemp)
trap 'rm -f "$classpath_file"' EXIT
mvn -q -o -pl git-gate dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"

java -cp "git-gate/target/test-classes:git-gate/target/classes:$(cat "$classpath_file")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.claudebottle.gitgate.GateBenchmark "${1:-5}"
