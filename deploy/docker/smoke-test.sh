#!/usr/bin/env bash
# `make image-test`: build the Dockerfile and run the image for real against the machine's PostgreSQL and Redis,
# then check /api/auth/health/ answers healthy and the HEALTHCHECK reports the container healthy.
#
# No image registry is needed: Docker (Debian's docker.io) runs from a temp dir with its own daemon
# (--bridge=none --iptables=false), the base image is Debian bookworm made with debootstrap and imported with
# `docker import` (cached in var/image/), and the build takes its Python packages from PyPI over the host's
# network (`docker build --network host`). Containers run with `--network host` only: no bridge, no NAT.
#
# Needs root (dockerd, debootstrap). Settings: PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432 postgres; a scratch
# database is created and dropped), SMOKE_REDIS_URL (default redis://127.0.0.1:6379/9), KEEP_IMAGE_DIR=1 keeps
# the temp dir for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

[ "$(id -u)" -eq 0 ] || { echo "image-test needs root (it starts dockerd and runs debootstrap)" >&2; exit 1; }
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
REDIS_URL="${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/9}"
SCRATCH_DB="s2cart_image_$$"
CACHE="$ROOT/var/image"
BASE_TAR="$CACHE/bookworm-minbase.tar"
IMAGE=s2cart:smoke
NAME="s2cart-smoke-$$"

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || [ -f "$BASE_TAR" ] || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing ${need[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# Debian's client (docker.io), talking to the daemon started below only.
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)

WORK=$(mktemp -d /tmp/s2cart-image.XXXXXX)
export DOCKER_HOST="unix://$WORK/docker.sock"
CA_COPIED=()
DOCKERD_PID=
cleanup() {
  set +e
  "$DOCKER" rm -f "$NAME" >/dev/null 2>&1
  if [ -n "$DOCKERD_PID" ]; then
    kill "$DOCKERD_PID" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 1; done
  fi
  psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$SCRATCH_DB\" WITH (FORCE)" >/dev/null 2>&1
  for f in "${CA_COPIED[@]}"; do rm -f "$f"; done
  if [ -z "${KEEP_IMAGE_DIR:-}" ]; then
    grep -o " $WORK/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf "$WORK"
  else
    echo "kept $WORK"
  fi
}
trap cleanup EXIT

echo "== dockerd (data root $WORK/docker, no bridge, no iptables)"
dockerd --data-root "$WORK/docker" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid" \
  --host "$DOCKER_HOST" --bridge=none --iptables=false --ip6tables=false >"$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 1 60); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 1; done
"$DOCKER" info >/dev/null 2>&1 || { tail -30 "$WORK/dockerd.log"; echo "dockerd did not start" >&2; exit 1; }
echo "storage driver: $("$DOCKER" info --format '{{.Driver}}'), server $("$DOCKER" version --format '{{.Server.Version}}')"

echo "== base image: Debian bookworm from debootstrap"
if [ ! -f "$BASE_TAR" ]; then
  mkdir -p "$CACHE"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -30 "$WORK/debootstrap.log"; exit 1; }
  rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
  tar -C "$WORK/rootfs" --numeric-owner -cf "$BASE_TAR.partial" . && mv "$BASE_TAR.partial" "$BASE_TAR"
  rm -rf "$WORK/rootfs"
fi
"$DOCKER" import "$BASE_TAR" s2cart-base:bookworm >/dev/null

# A TLS-inspecting proxy between this machine and PyPI: its CA goes to the build stage (never the image).
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$crt" ] || continue
  target="$ROOT/deploy/docker/ca-certificates/$(basename "$crt")"
  [ -e "$target" ] && continue
  cp "$crt" "$target" && CA_COPIED+=("$target")
done

echo "== docker build --network host"
started=$(date +%s)
"$DOCKER" build --network host --build-arg BASE_IMAGE=s2cart-base:bookworm -t "$IMAGE" "$ROOT"
echo "build took $(($(date +%s) - started)) s"
size=$("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE")
echo "image size: $size bytes ($((size / 1024 / 1024)) MiB); the largest layers:"
"$DOCKER" history --format '{{.Size}}\t{{printf "%.90s" .CreatedBy}}' "$IMAGE" | sort -hr | head -5
user=$("$DOCKER" run --rm --network host "$IMAGE" id -u)
[ "$user" != 0 ] || { echo "the image runs as root" >&2; exit 1; }
echo "runs as uid $user"
"$DOCKER" run --rm --network host "$IMAGE" python3 -c 'import sys; print("python", sys.version.split()[0])'

echo "== scratch database $SCRATCH_DB on $PGHOST:$PGPORT, Redis $REDIS_URL"
psql -q -d postgres -c "CREATE DATABASE \"$SCRATCH_DB\""
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
mail_port=$(free_port)
envs=(
  -e "S2CART_DATABASE_URL=postgresql+psycopg://$PGUSER@$PGHOST:$PGPORT/$SCRATCH_DB"
  -e "S2CART_REDIS_URL=$REDIS_URL"
  -e "S2CART_RATE_LIMIT_STORAGE=$REDIS_URL"
  -e "S2CART_JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
  # The image runs with S2CART_ENV=prod, which wants an https public URL and a mail server; neither is
  # reached here (nothing is mailed, no gateway calls back).
  -e "S2CART_PUBLIC_BASE_URL=https://api.s2cart.example"
  -e "S2CART_SMTP_HOST=127.0.0.1"
  -e "S2CART_SMTP_PORT=$mail_port"
  -e "HEALTHCHECK_URL=http://127.0.0.1:$port/api/auth/live/"
)
"$DOCKER" run --rm --network host "${envs[@]}" "$IMAGE" s2cart db upgrade

echo "== s2cart serve in the container on 127.0.0.1:$port"
started=$(date +%s)
"$DOCKER" run -d --name "$NAME" --network host --health-interval 2s "${envs[@]}" "$IMAGE" \
  s2cart serve --host 127.0.0.1 --port "$port" --workers 2 >/dev/null
status=starting
for _ in $(seq 1 60); do
  status=$("$DOCKER" inspect --format '{{.State.Health.Status}}' "$NAME")
  [ "$status" = healthy ] && break
  [ "$("$DOCKER" inspect --format '{{.State.Running}}' "$NAME")" = true ] || break
  sleep 1
done
if [ "$status" != healthy ]; then
  "$DOCKER" logs "$NAME" 2>&1 | tail -40
  echo "the container's HEALTHCHECK says: $status" >&2
  exit 1
fi
echo "HEALTHCHECK (/api/auth/live/): $status, $(($(date +%s) - started)) s after docker run"
health=$(python3 - "$port" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/auth/health/", timeout=10) as answer:
    body = answer.read().decode()
    print(answer.status, body)
    document = json.loads(body)
    expected = {"status": "healthy", "database": "connected", "cache": "operational"}
    sys.exit(0 if answer.status == 200 and expected.items() <= document.items() else 1)
PY
) || { echo "/api/auth/health/ is not healthy: $health" >&2; "$DOCKER" logs "$NAME" 2>&1 | tail -20; exit 1; }
echo "/api/auth/health/: $health"
echo "image-test: 1 passed, 0 failed"
