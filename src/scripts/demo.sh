#!/usr/bin/env bash
# Builds the image into the local Docker engine and runs a sample action end to end, the way
# tink-agent would: the action exits at once, and the target starts after the wait.
#   src/scripts/demo.sh [WAIT_SECONDS]          default 5
# Does all of its own set-up on a Debian machine as root (engine included).
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh
wait_seconds=${1:-5}
image=${WAITDAEMON_IMAGE:-local/waitdaemon:dev}

ensure_docker
docker_cli_path
src/scripts/build-image.sh "$image"
src/scripts/test-images.sh docker

stamp() { date +%H:%M:%S.%3N; }
# As tink-agent does: privileged (all capabilities here), pid host, the docker socket, env, the
# template's command as Cmd; force-removed right after it exits.
action=$(docker create --cap-add ALL --cap-drop SYS_RESOURCE --pid host \
  -v /var/run/docker.sock:/var/run/docker.sock \
  -e IMAGE=local/busybox:test -e WAIT_SECONDS="$wait_seconds" -e GREETING="hello from the target" \
  "$image" sh -c 'echo "$GREETING, started $(date +%T)"')
echo "$(stamp) action ${action:0:12} starting (IMAGE=local/busybox:test WAIT_SECONDS=$wait_seconds)"
docker start --attach "$action" >/dev/null 2>&1 || true
code=$(docker inspect --format '{{.State.ExitCode}}' "$action")
echo "$(stamp) action exited with $code: the agent would report success now"
docker logs "$action" 2>&1 | sed 's/^/    action log: /'
docker rm --force "$action" >/dev/null

target=""
for _ in $(seq 1 $(( (wait_seconds + 30) * 5 ))); do
  target=$(docker ps --all --quiet --filter "label=waitdaemon.action=$action" --filter label=waitdaemon.phase=target)
  [ -n "$target" ] && break
  sleep 0.2
done
if [ -z "$target" ]; then
  echo "no target started; the clone's log:" >&2
  docker logs "$(docker ps --all --quiet --filter "label=waitdaemon.action=$action")" >&2 || true
  exit 1
fi
docker wait "$target" >/dev/null
echo "$(stamp) target ${target:0:12} ran; its output:"
docker logs "$target" | sed 's/^/    /'
echo "target started at $(docker inspect --format '{{.State.StartedAt}}' "$target")"
