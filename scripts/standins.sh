#!/usr/bin/env bash
# Starts and stops the stand-ins for the remote services that the demo and the end-to-end
# tests talk to, on a Docker network of their own that a bottle's bundle joins with
# `claude-bottle start --bundle-network NETWORK`:
#
#   api.standin.test  HTTPS stand-in for the Anthropic Messages API (docker/standins/messages-api.py),
#                     with a certificate from a test CA minted here
#   git.standin.test  OpenSSH git upstream with a host key generated here and repository demo.git
#
# Usage: scripts/standins.sh up DIR [NETWORK]    (NETWORK defaults to claude-bottle-demo)
#        scripts/standins.sh down DIR [NETWORK]
#
# `up` writes into DIR (mode 700): test-ca.pem (trust it upstream with egress.upstream_ca),
# id_ed25519 (the git client key), known_host_key (the pinned host key line), token (the token
# the API stand-in expects; a made-up value), and standins.env with the same facts as shell
# variables. It builds the image claude-bottle/standins when it is missing or older than
# docker/standins. Every container and network it creates carries the label
# claude-bottle.standin=DIR, and `down` removes them.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=claude-bottle/standins
ACTION=${1:?usage: scripts/standins.sh up|down DIR [NETWORK]}
DIR=${2:?usage: scripts/standins.sh up|down DIR [NETWORK]}
NETWORK=${3:-claude-bottle-demo}
API=$NETWORK-api
GIT=$NETWORK-git

log() { printf 'standins: %s\n' "$*" >&2; }
die() { printf 'standins: error: %s\n' "$*" >&2; exit 1; }

down() {
  docker rm -f "$API" "$GIT" >/dev/null 2>&1 || true
  docker network rm "$NETWORK" >/dev/null 2>&1 || true
}

mint_tls() {
  # A test CA and a leaf for api.standin.test, both ECDSA P-256 and valid for two days.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=claude-bottle stand-in test CA" -keyout "$DIR/test-ca.key" -out "$DIR/test-ca.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=api.standin.test" \
    -keyout "$DIR/api/tls.key" -out "$DIR/api.csr" 2>/dev/null
  printf '%s\n' "subjectAltName=DNS:api.standin.test,DNS:docs.standin.test" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$DIR/api.ext"
  openssl x509 -req -in "$DIR/api.csr" -CA "$DIR/test-ca.pem" -CAkey "$DIR/test-ca.key" -CAcreateserial \
    -days 2 -extfile "$DIR/api.ext" -out "$DIR/api/tls.pem" 2>/dev/null
  rm -f "$DIR/api.csr" "$DIR/api.ext" "$DIR/test-ca.srl" "$DIR/test-ca.key"
  chmod 644 "$DIR/api/tls.key"   # read by the stand-in's own user in its container only
}

up() {
  command -v openssl >/dev/null || die "openssl is missing; install it (apt-get install openssl)"
  command -v ssh-keygen >/dev/null || die "ssh-keygen is missing; install it (apt-get install openssh-client)"
  # The image is rebuilt when docker/standins changed since it was built (a label records the
  # digest of its files), so a stale stand-in never answers a newer test.
  local digest built
  digest=$(cd docker/standins && sha256sum Dockerfile messages-api.py ssh-upstream.sh | sha256sum | cut -c1-64)
  built=$(docker image inspect -f '{{ index .Config.Labels "dev.claudebottle.standins.source" }}' "$IMAGE" 2>/dev/null || true)
  if [[ $built != "$digest" ]]; then
    log "building $IMAGE"
    docker build -q --label "dev.claudebottle.standins.source=$digest" -t "$IMAGE" docker/standins >/dev/null
  fi
  down
  mkdir -p "$DIR/api" "$DIR/git"
  chmod 700 "$DIR"
  mint_tls

  # A made-up token shaped like an OAuth token of the Anthropic API; the API stand-in expects it.
  printf 'sk-ant-oat01-%s\n' "$(openssl rand -base64 69 | tr -d '\n=' | tr '+/' '-_')" >"$DIR/token"
  cp "$DIR/token" "$DIR/api/token"

  rm -f "$DIR/git/ssh_host_ed25519_key"* "$DIR/id_ed25519"*
  ssh-keygen -q -t ed25519 -N '' -C git.standin.test -f "$DIR/git/ssh_host_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C claude-bottle-demo -f "$DIR/id_ed25519"
  cp "$DIR/id_ed25519.pub" "$DIR/git/authorized_keys"
  cut -d' ' -f1,2 "$DIR/git/ssh_host_ed25519_key.pub" >"$DIR/known_host_key"

  docker network create --label "claude-bottle.standin=$DIR" "$NETWORK" >/dev/null
  docker run -d --name "$API" --label "claude-bottle.standin=$DIR" --network "$NETWORK" \
    --network-alias api.standin.test --network-alias docs.standin.test -v "$DIR/api:/standin:ro" "$IMAGE" >/dev/null
  docker run -d --name "$GIT" --label "claude-bottle.standin=$DIR" --network "$NETWORK" \
    --network-alias git.standin.test -v "$DIR/git:/standin:ro" "$IMAGE" /opt/standin/ssh-upstream.sh demo >/dev/null

  # Ready when both log that they listen; bounded to 30 s. (Logs are read whole: with pipefail,
  # grep -q closing the pipe early would fail the pipeline.)
  local api_log="" git_log=""
  for _ in $(seq 1 60); do
    api_log=$(docker logs "$API" 2>&1)
    git_log=$(docker logs "$GIT" 2>&1)
    [[ $api_log == *"listening on"* && $git_log == *"Server listening"* ]] && break
    sleep 0.5
  done
  [[ $api_log == *"listening on"* ]] || die "the API stand-in did not start: $(tail -5 <<<"$api_log")"
  [[ $git_log == *"Server listening"* ]] || die "the SSH stand-in did not start: $(tail -5 <<<"$git_log")"

  cat >"$DIR/standins.env" <<VARS
STANDIN_NETWORK=$NETWORK
STANDIN_API_CONTAINER=$API
STANDIN_GIT_CONTAINER=$GIT
STANDIN_CA=$DIR/test-ca.pem
STANDIN_IDENTITY_FILE=$DIR/id_ed25519
STANDIN_KNOWN_HOST_KEY="$(cat "$DIR/known_host_key")"
STANDIN_GIT_UPSTREAM=ssh://git@git.standin.test/srv/git/demo.git
VARS
  log "up on network $NETWORK: api.standin.test ($API), git.standin.test ($GIT)"
}

case $ACTION in
  up) up ;;
  down) down; log "removed $API, $GIT and network $NETWORK" ;;
  *) die "unknown action '$ACTION'; use up or down" ;;
esac
