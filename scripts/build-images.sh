#!/usr/bin/env bash
# Builds the bottle images from this checkout: the bundle image (bundle-init and its Java
# runtime) and, on request, the agent image (Claude Code) and the standalone egress proxy.
#
# Usage: scripts/build-images.sh [OPTIONS]
#   --agent             also build claude-bottle/agent
#   --egress-proxy      also build claude-bottle/egress-proxy, the standalone proxy
#   --build-ca FILE     trust FILE (a PEM bundle) while the agent image fetches from npm, for
#                       networks that inspect TLS (the host's: /etc/ssl/certs/ca-certificates.crt)
#   --push REGISTRY     push the bundle image as REGISTRY/<repository>:<version> and
#                       :<version>-<revision> (for example --push 127.0.0.1:5000)
#   --repository NAME   the bundle image's repository name (default claude-bottle/bundle)
#   --skip-jar          reuse the jars under */target instead of running Maven
# The bundle image is tagged <repository>:<version> and <repository>:latest, with the OCI
# labels source, version and revision.
set -euo pipefail
cd "$(dirname "$0")/.."

AGENT=0 EGRESS=0 BUILD_CA="" PUSH="" SKIP_JAR=0 REPOSITORY=claude-bottle/bundle
while (($#)); do
  case $1 in
    --agent) AGENT=1 ;;
    --egress-proxy) EGRESS=1 ;;
    --build-ca) BUILD_CA=${2:?--build-ca needs a file}; shift ;;
    --push) PUSH=${2:?--push needs a registry, for example 127.0.0.1:5000}; shift ;;
    --repository) REPOSITORY=${2:?--repository needs a name, for example claude-bottle/bundle}; shift ;;
    --skip-jar) SKIP_JAR=1 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-images: error: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
  shift
done

die() { echo "build-images: error: $*" >&2; exit 1; }

bash scripts/prepare-machine.sh base-image

# The project version is the first <version> of the root pom (the parent of every module).
VERSION=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
[[ -n $VERSION ]] || die "cannot read the project version from pom.xml"
REVISION=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
SOURCE=$(git remote get-url origin 2>/dev/null || echo unknown)

if [[ $SKIP_JAR -eq 0 ]]; then
  echo "build-images: packaging the jars with Maven" >&2
  mvn -q -B -ntp -pl bundle-init,egress-proxy -am package -DskipTests
fi
[[ -f bundle-init/target/bundle-init.jar ]] || die "bundle-init/target/bundle-init.jar is missing; run without --skip-jar"

trap 'rm -f docker/bundle/bundle-init.jar docker/egress-proxy/egress-proxy.jar docker/agent/extra-ca/extra-ca.pem' EXIT
cp bundle-init/target/bundle-init.jar docker/bundle/bundle-init.jar

echo "build-images: building $REPOSITORY:$VERSION" >&2
docker build --build-arg VERSION="$VERSION" --build-arg REVISION="$REVISION" --build-arg SOURCE="$SOURCE" \
  -t "$REPOSITORY:$VERSION" -t "$REPOSITORY:latest" docker/bundle
docker image inspect "$REPOSITORY:latest" --format "build-images: $REPOSITORY is {{.Size}} bytes" >&2

if [[ $EGRESS -eq 1 ]]; then
  [[ -f egress-proxy/target/egress-proxy.jar ]] || die "egress-proxy/target/egress-proxy.jar is missing; run without --skip-jar"
  cp egress-proxy/target/egress-proxy.jar docker/egress-proxy/egress-proxy.jar
  echo "build-images: building claude-bottle/egress-proxy:$VERSION" >&2
  docker build --label org.opencontainers.image.version="$VERSION" --label org.opencontainers.image.revision="$REVISION" \
    --label org.opencontainers.image.source="$SOURCE" \
    -t "claude-bottle/egress-proxy:$VERSION" -t claude-bottle/egress-proxy:latest docker/egress-proxy
fi

if [[ $AGENT -eq 1 ]]; then
  if [[ -n $BUILD_CA ]]; then
    [[ -r $BUILD_CA ]] || die "--build-ca $BUILD_CA is not a readable file"
    cp "$BUILD_CA" docker/agent/extra-ca/extra-ca.pem
  fi
  echo "build-images: building claude-bottle/agent:$VERSION" >&2
  docker build -t "claude-bottle/agent:$VERSION" -t claude-bottle/agent:latest docker/agent
fi

if [[ -n $PUSH ]]; then
  for tag in "$VERSION" "$VERSION-$REVISION"; do
    docker tag "$REPOSITORY:latest" "$PUSH/$REPOSITORY:$tag"
    echo "build-images: pushing $PUSH/$REPOSITORY:$tag" >&2
    docker push "$PUSH/$REPOSITORY:$tag" >/dev/null
  done
fi
