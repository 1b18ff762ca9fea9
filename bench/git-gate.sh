#!/usr/bin/env bash
# Times a push of 100 commits and fetches through git-gate against the same git commands run
# straight at the SSH upstream, in one run. Everything runs on 127.0.0.1: an in-process MINA SSHD
# upstream, the gate (real gitleaks), the git command line and the OpenSSH client.
#
# Usage: bench/git-gate.sh [rounds]   (default 5; prints medians in milliseconds)
# GIT_GATE_BENCH_LOG_LEVEL=info also prints the gate's per-fetch and per-push log lines.
# Needs: java 17, mvn, git, ssh, gitleaks on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in git ssh gitleaks java mvn; do
  command -v "$tool" >/dev/null || { echo "git-gate bench: $tool is not on PATH; install it first" >&2; exit 2; }
done

mvn -q -o -pl git-gate test-compile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mvn -q -o -pl git-gate dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath"
# Copy the classes so a build of the module running meanwhile cannot pull them from under the JVM.
cp -r git-gate/target/classes "$work/classes"
cp -r git-gate/target/test-classes "$work/test-classes"

java -cp "$work/test-classes:$work/classes:$(cat "$work/classpath")" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${GIT_GATE_BENCH_LOG_LEVEL:-warn}" \
  dev.claudebottle.gitgate.GateBenchmark "${1:-5}"
