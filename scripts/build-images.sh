#!/usr/bin/env bash
# Builds the bottle images from this checkout: the bundle image (bundle-init and its Java
# runtime) and, with --agent, the agent image (Claude Code).
#
# Usage: scripts/build-images.sh [--agent] [--egress-proxy] [--build-ca FILE] [--push REGISTRY] [--skip-jar]
#   --agent          also build claude-bottle/agent
#   --egress-proxy   also build claude-bottle/egress-proxy, the standalone proxy
#   --build-ca FILE  trust FILE (a PEM bundle) while the agent image fetches from npm, for
#                    networks that inspect TLS; the host's is usually /etc/ssl/certs/ca-certificates.crt
#   --push REGISTRY  tag the bundle image as REGISTRY/claude-bottle/bundle:<version> and
#                    :<version>-<revision>, and push both (for example --push 127.0.0.1:5000)
#   --skip-jar       reuse bundle-init/target/bundle-init.jar instead of running Maven
# Images are tagged claude-bottle/bundle:<version> and claude-bottle/bundle:latest.
set -euo pipefail
cd "$(dirname "$0")/.."

AGENT=0 EGRESS=0 BUILD_CA="" PUSH="" SKIP_JAR=0
while (($#)); do
  case $1 in
    --agent) AGENT=1 ;;
    --egress-proxy) EGRESS=1 ;;
    --build-ca) BUILD_CA=${2:?--build-ca needs a file}; shift ;;
    --push) PUSH=${2:?--push needs a registry, for example 127.0.0.1:5000}; shift ;;
    --skip-jar) SKIP_JAR=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-images: error: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
  shift
done

bash scripts/prepare-machine.sh base-image

VERSION=$(mvn -q -N help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null || echo dev)
REVISION=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
SOURCE=$(git remote get-url origin 2>/dev/null || echo unknown)

if [[ $SKIP_JAR -eq 0 ]]; then
  echo "build-images: packaging bundle-init.jar" >&2
  mvn -q -B -ntp -pl bundle-init,egress-proxy -am package -DskipTests
fi
[[ -f bundle-init/target/bundle-init.jar ]] || { echo "build-images: error: bundle-init/target/bundle-init.jar is missing; run without --skip-jar" >&2; exit 1; }
cp bundle-init/target/bundle-init.jar docker/bundle/bundle-init.jar
trap 'rm -f docker/bundle/bundle-init.jar docker/egress-proxy/egress-proxy.jar docker/agent/extra-ca/extra-ca.pem' EXIT

echo "build-images: building claude-bottle/bundle:$VERSION" >&2
docker build --build-arg VERSION="$VERSION" --build-arg REVISION="$REVISION" --build-arg SOURCE="$SOURCE" \
  -t "claude-bottle/bundle:$VERSION" -t claude-bottle/bundle:latest docker/bundle
docker image inspect claude-bottle/bundle:latest --format 'build-images: bundle image size {{.Size}} bytes' >&2

if [[ $EGRESS -eq 1 ]]; then
  cp egress-proxy/target/egress-proxy.jar docker/egress-proxy/egress-proxy.jar
  echo "build-images: building claude-bottle/egress-proxy:$VERSION" >&2
  docker build --label org.opencontainers.image.version="$VERSION" --label org.opencontainers.image.revision="$REVISION" \
    -t "claude-bottle/egress-proxy:$VERSION" -t claude-bottle/egress-proxy:latest docker/egress-proxy
fi

if [[ $AGENT -eq 1 ]]; then
  if [[ -n $BUILD_CA ]]; then
    [[ -r $BUILD_CA ]] || { echo "build-images: error: --build-ca $BUILD_CA is not a readable file" >&2; exit 2; }
    cp "$BUILD_CA" docker/agent/extra-ca/extra-ca.pem
  fi
  echo "build-images: building claude-bottle/agent:$VERSION" >&2
  docker build -t "claude-bottle/agent:$VERSION" -t claude-bottle/agent:latest docker/agent
fi

if [[ -n $PUSH ]]; then
  for tag in "$VERSION" "$VERSION-$REVISION"; do
    docker tag claude-bottle/bundle:latest "$PUSH/claude-bottle/bundle:$tag"
    docker push "$PUSH/claude-bottle/bundle:$tag"
  done
fi
