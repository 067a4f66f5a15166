#!/usr/bin/env bash
# Measures waitdaemon against the floor of this machine, in the same run:
#   floor   `docker run --rm` of a busybox container that does nothing (the container-start floor)
#   action  an action as tink-agent runs it (create, start, wait, remove) with WAIT_SECONDS=0:
#           the time the agent waits before it can report
#   target  from the action's start to the target's start (clone start + its JVM + the target's create)
# Prints medians and ratios to the floor. Uses the image that demo.sh/test.sh build.
#   src/scripts/bench.sh [runs] [docker|podman]      default 15 docker
# docker: the action reaches dockerd's API through its socket (capabilities stand in for --privileged,
# which this sandbox's Docker cannot start); podman: podman's API service, action truly --privileged.
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh
runs=${1:-15}
engine=${2:-docker}
image=${WAITDAEMON_IMAGE:-local/waitdaemon:dev}
ensure_docker
docker_cli_path
docker image inspect "$image" >/dev/null 2>&1 || { echo "no $image: run src/scripts/demo.sh first" >&2; exit 1; }
case "$engine" in
  docker)
    action_flags=(--cap-add ALL --cap-drop SYS_RESOURCE -v /var/run/docker.sock:/var/run/docker.sock) ;;
  podman)
    ensure_podman
    docker save "$image" | podman load -q >/dev/null
    action_flags=(--privileged -v /run/podman/podman.sock:/run/podman/podman.sock) ;;
  *) echo "engine must be docker or podman" >&2; exit 2 ;;
esac
"$engine" image inspect local/busybox:test >/dev/null 2>&1 || src/scripts/test-images.sh "$engine"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
iso_ms() { date -d "$1" +%s%3N; }
cleanup() { ids=$("$engine" ps -aq --filter label=waitdaemon.phase); [ -z "$ids" ] || "$engine" rm -f $ids >/dev/null; }

floor=() action=() target=()
"$engine" run --rm local/busybox:test true   # warm the engine's caches once
for _ in $(seq "$runs"); do
  t0=$(now_ms); "$engine" run --rm local/busybox:test true; t1=$(now_ms)
  floor+=($((t1 - t0)))

  cleanup
  id=$("$engine" create "${action_flags[@]}" --pid host -e IMAGE=local/busybox:test -e WAIT_SECONDS=0 "$image" true)
  t0=$(now_ms); "$engine" start --attach "$id" >/dev/null 2>&1; t1=$(now_ms)
  [ "$("$engine" inspect --format '{{.State.ExitCode}}' "$id")" = 0 ] || { "$engine" logs "$id" >&2; exit 1; }
  "$engine" rm -f "$id" >/dev/null
  action+=($((t1 - t0)))
  for _ in $(seq 150); do
    tid=$("$engine" ps -aq --no-trunc --filter "label=waitdaemon.action=$id" --filter label=waitdaemon.phase=target)
    [ -n "$tid" ] && break; sleep 0.1
  done
  [ -n "$tid" ] || { echo "no target for $id" >&2; exit 1; }
  "$engine" wait "$tid" >/dev/null
  started=$("$engine" inspect "$tid" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["State"]["StartedAt"])')
  target+=($(( $(iso_ms "$started") - t0 )))
done
cleanup

f=$(printf '%s\n' "${floor[@]}" | median)
a=$(printf '%s\n' "${action[@]}" | median)
t=$(printf '%s\n' "${target[@]}" | median)
echo "engine: $engine, runs: $runs (medians, ms)"
printf 'floor   %s run --rm busybox true        %7s ms  1.00x\n' "$engine" "$f"
printf 'action  tink-agent-style action, exit 0     %7s ms  %.2fx floor\n' "$a" "$(awk -v a="$a" -v f="$f" 'BEGIN { print a / f }')"
printf 'target  action start -> target start        %7s ms  %.2fx floor\n' "$t" "$(awk -v a="$t" -v f="$f" 'BEGIN { print a / f }')"
