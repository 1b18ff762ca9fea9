#!/usr/bin/env bash
# Measures the bundle image: its size, the time from `docker start` to ready (all configured
# services listening), and the JVM's resident memory once idle, over a few runs.
#
# Usage: bench/bundle-start.sh [RUNS] [IMAGE]   (defaults: 5 runs of claude-bottle/bundle:latest)
# Build the image first with scripts/build-images.sh. Every container and network it creates is
# labelled dev.claudebottle.bench and removed on exit. Nothing leaves the machine: the bundle's
# allowlist names only example.test and no request is sent.
set -euo pipefail

RUNS=${1:-5}
IMAGE=${2:-claude-bottle/bundle:latest}
SESSION=cbbench$$
WORK=$(mktemp -d)
cleanup() {
  docker rm -f "$SESSION-bundle" >/dev/null 2>&1 || true
  docker network rm "$SESSION-internal" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

docker image inspect "$IMAGE" >/dev/null 2>&1 || { echo "bundle-start: error: image $IMAGE not found; run scripts/build-images.sh" >&2; exit 1; }
mkdir -p "$WORK/config" "$WORK/state"
chown 1000:1000 "$WORK/state" 2>/dev/null || chmod 777 "$WORK/state"
chmod 755 "$WORK" "$WORK/config"
cat >"$WORK/config/bundle.yaml" <<'YAML'
bottle: bench
secrets_timeout_seconds: 20
egress:
  allowlist:
    - host: example.test
cred_proxy:
  routes:
    - path: /example/
      upstream: https://example.test
      auth_scheme: Bearer
      token_ref: EXAMPLE_TOKEN
git:
  repos: []
supervise: {}
YAML
docker network create --internal --label dev.claudebottle.bench="$SESSION" "$SESSION-internal" >/dev/null

now_ms() { date +%s%3N; }

echo "image $IMAGE: $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
for run in $(seq 1 "$RUNS"); do
  docker create --name "$SESSION-bundle" --label dev.claudebottle.bench="$SESSION" --network "$SESSION-internal" \
    --read-only --tmpfs /run/claude-bottle:mode=0700,uid=1000,gid=1000 --tmpfs /tmp:exec \
    -v "$WORK/config:/etc/claude-bottle:ro" -v "$WORK/state:/state" "$IMAGE" >/dev/null
  start=$(now_ms)
  docker start "$SESSION-bundle" >/dev/null
  echo '{"tokens": {"EXAMPLE_TOKEN": "bench-placeholder-value"}}' \
    | docker exec -i "$SESSION-bundle" bundle-init receive-secrets 2>/dev/null
  secrets=$(now_ms)
  ready=""
  for _ in $(seq 1 600); do
    if docker exec "$SESSION-bundle" test -f /run/claude-bottle/ready 2>/dev/null; then
      ready=$(now_ms)
      break
    fi
  done
  [[ -n $ready ]] || { docker logs "$SESSION-bundle" | tail -n 20; echo "bundle-start: error: not ready" >&2; exit 1; }
  # Let start-up garbage settle before reading the idle resident set.
  sleep 3
  rss_kb=$(docker top "$SESSION-bundle" -o pid,rss,args | awk '$3 == "java" && /run --config/ { print $2 }')
  printf 'run %d: start to secrets delivered %5d ms, start to ready %5d ms, idle RSS %d MB\n' \
    "$run" $((secrets - start)) $((ready - start)) $((rss_kb / 1024))
  docker rm -f "$SESSION-bundle" >/dev/null
done
