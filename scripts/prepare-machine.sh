#!/usr/bin/env bash
# Makes this machine ready for the test suite and the demo: a running Docker engine, the
# gitleaks binary, the docker-registry binary (for the image publishing test), tmux (for the
# dashboard's terminal test) and the local debian:trixie-slim base image.
#
# As root it installs what is missing with apt; as another user it prints exactly what to
# install and stops. Package mirrors are never hard-coded: they are read from this
# machine's own apt sources. A warm machine skips every step that is already done.
#
# Environment:
#   DOCKERD_LOG   where the engine started by this script logs (default /var/log/claude-bottle-dockerd.log)
#   SKIP_BASE_IMAGE=1   do not create debian:trixie-slim (unit tests only)
set -euo pipefail

DOCKERD_LOG=${DOCKERD_LOG:-/var/log/claude-bottle-dockerd.log}
BASE_IMAGE=debian:trixie-slim
TRIXIE_LIST=/etc/apt/sources.list.d/claude-bottle-trixie.sources
TRIXIE_PIN=/etc/apt/preferences.d/claude-bottle-trixie

log() { printf 'prepare: %s\n' "$*" >&2; }
die() { printf 'prepare: error: %s\n' "$*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# Prints the first Debian archive URI found in the machine's apt sources (deb822 or one-line form).
debian_mirror() {
  local uri
  uri=$( { cat /etc/apt/sources.list.d/*.sources 2>/dev/null || true; } \
    | awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }')
  if [[ -z $uri ]]; then
    uri=$( { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } \
      | awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }')
  fi
  [[ -n $uri ]] || die "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d; add one, then run again"
  printf '%s\n' "${uri%/}"
}

APT_UPDATED=0
apt_update_once() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
}

apt_install() {
  apt_update_once
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_root_for() {
  is_root || die "$1 is missing; as root, run: $2"
}

ensure_docker_engine() {
  [[ -z ${DOCKER_CHECKED:-} ]] || return 0
  DOCKER_CHECKED=1
  if ! command -v dockerd >/dev/null 2>&1; then
    need_root_for "the Docker engine (dockerd)" "apt-get install -y docker.io"
    apt_install docker.io
  fi
  if docker info >/dev/null 2>&1; then
    log "Docker engine is running"
    return
  fi
  need_root_for "a running Docker engine" "dockerd >$DOCKERD_LOG 2>&1 &"
  log "starting dockerd (log: $DOCKERD_LOG)"
  # setsid keeps the engine alive after this script and its caller's process group end.
  setsid dockerd >"$DOCKERD_LOG" 2>&1 < /dev/null &
  local i
  for i in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      log "Docker engine is up after ${i}s"
      return
    fi
    sleep 1
  done
  tail -n 30 "$DOCKERD_LOG" >&2 || true
  die "dockerd did not answer within 60 s; its log is above and in $DOCKERD_LOG"
}

ensure_gitleaks() {
  if command -v gitleaks >/dev/null 2>&1; then
    # Debian's build prints "version is set by build process" for `gitleaks version`, so the
    # package version is asked first.
    log "gitleaks is installed ($(dpkg-query -W -f='${Version}' gitleaks 2>/dev/null || gitleaks version 2>/dev/null \
      || echo unknown version))"
    return
  fi
  need_root_for "gitleaks" "add a Debian trixie apt source and apt-get install -y gitleaks/trixie"
  if [[ ! -f $TRIXIE_LIST ]]; then
    local mirror
    mirror=$(debian_mirror)
    log "adding a low-priority trixie source from this machine's mirror"
    cat >"$TRIXIE_LIST" <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    # Priority 100 keeps every installed package on its own release; only packages asked
    # for by name with /trixie come from there.
    cat >"$TRIXIE_PIN" <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
    APT_UPDATED=0
  fi
  apt_install gitleaks/trixie
  command -v gitleaks >/dev/null 2>&1 || die "gitleaks did not install; see apt's output above"
}

ensure_tmux() {
  if command -v tmux >/dev/null 2>&1; then
    return
  fi
  need_root_for "tmux (the dashboard's terminal test drives it)" "apt-get install -y tmux"
  apt_install tmux
}

ensure_local_registry() {
  if command -v docker-registry >/dev/null 2>&1; then
    return
  fi
  need_root_for "docker-registry (a local image registry for the image publishing test)" "apt-get install -y docker-registry"
  # The package's init script would start a registry on port 5000; tests start their own.
  RUNLEVEL=1 apt_install docker-registry
}

ensure_base_image() {
  if [[ ${SKIP_BASE_IMAGE:-0} == 1 ]]; then
    return
  fi
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    log "$BASE_IMAGE exists"
    return
  fi
  if ! command -v debootstrap >/dev/null 2>&1; then
    need_root_for "debootstrap" "apt-get install -y debootstrap"
    apt_install debootstrap
  fi
  need_root_for "the $BASE_IMAGE base image" "debootstrap --variant=minbase trixie DIR MIRROR, then tar -C DIR -c . | docker import - $BASE_IMAGE"
  local mirror root started
  mirror=$(debian_mirror)
  root=$(mktemp -d /var/tmp/claude-bottle-rootfs.XXXXXX)
  # shellcheck disable=SC2064  # expand $root now: the trap may run after this function returned
  trap "rm -rf '$root' '$root.log'" EXIT
  started=$SECONDS
  log "creating $BASE_IMAGE with debootstrap (about a minute)"
  if ! debootstrap --variant=minbase trixie "$root" "$mirror" >"$root.log" 2>&1; then
    tail -n 20 "$root.log" >&2
    rm -f "$root.log"
    die "debootstrap of trixie from $mirror failed; its last lines are above"
  fi
  rm -f "$root.log"
  # A slim image: no apt lists, docs or man pages (the Dockerfiles run apt-get update anyway).
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*
  tar -C "$root" -c . | docker import --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$root"
  trap - EXIT
  log "$BASE_IMAGE created in $((SECONDS - started)) s"
}

usage() {
  echo "usage: $0 [docker|gitleaks|registry|tmux|base-image]...   (no argument: all five, in that order)" >&2
  exit 2
}

main() {
  local steps=("$@")
  [[ ${#steps[@]} -gt 0 ]] || steps=(docker gitleaks registry tmux base-image)
  local step
  for step in "${steps[@]}"; do
    case $step in
      docker) ensure_docker_engine ;;
      gitleaks) ensure_gitleaks ;;
      registry) ensure_local_registry ;;
      tmux) ensure_tmux ;;
      base-image) ensure_docker_engine; ensure_base_image ;;
      -h|--help) usage ;;
      *) echo "prepare: error: unknown step '$step'" >&2; usage ;;
    esac
  done
}

main "$@"
