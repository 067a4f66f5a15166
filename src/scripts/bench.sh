#!/usr/bin/env bash
# Measures waitdaemon against the floor of this machine, in the same run:
#   floor   `docker run --rm` of a busybox container that does nothing (the container-start floor)
#   action  an action as tink-agent runs it (create, start, wait, remove) with WAIT_SECONDS=0:
#           the time the agent waits before it can report
#   target  from the action's start to the target's start (clone start + its JVM + the target's create)
# Prints medians and ratios to the floor. Uses the image that demo.sh/test.sh build.
#   src/scripts/bench.sh [runs]      default 15
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh
runs=${1:-15}
image=${WAITDAEMON_IMAGE:-local/waitdaemon:dev}
ensure_docker
docker_cli_path
docker image inspect "$image" >/dev/null 2>&1 || { echo "no $image: run src/scripts/demo.sh first" >&2; exit 1; }
docker image inspect local/busybox:test >/dev/null 2>&1 || src/scripts/test-images.sh docker

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
iso_ms() { date -d "$1" +%s%3N; }
cleanup() { ids=$(docker ps -aq --filter label=waitdaemon.phase); [ -z "$ids" ] || docker rm -f $ids >/dev/null; }

floor=() action=() target=()
docker run --rm local/busybox:test true   # warm the engine's caches once
for _ in $(seq "$runs"); do
  t0=$(now_ms); docker run --rm local/busybox:test true; t1=$(now_ms)
  floor+=($((t1 - t0)))

  cleanup
  id=$(docker create --cap-add ALL --cap-drop SYS_RESOURCE --pid host -v /var/run/docker.sock:/var/run/docker.sock \
    -e IMAGE=local/busybox:test -e WAIT_SECONDS=0 "$image" true)
  t0=$(now_ms); docker start --attach "$id" >/dev/null 2>&1; t1=$(now_ms)
  [ "$(docker inspect --format '{{.State.ExitCode}}' "$id")" = 0 ] || { docker logs "$id" >&2; exit 1; }
  docker rm -f "$id" >/dev/null
  action+=($((t1 - t0)))
  for _ in $(seq 150); do
    tid=$(docker ps -aq --filter "label=waitdaemon.action=$id" --filter label=waitdaemon.phase=target)
    [ -n "$tid" ] && break; sleep 0.1
  done
  [ -n "$tid" ] || { echo "no target for $id" >&2; exit 1; }
  docker wait "$tid" >/dev/null
  target+=($(( $(iso_ms "$(docker inspect --format '{{.State.StartedAt}}' "$tid")") - t0 )))
done
cleanup

f=$(printf '%s\n' "${floor[@]}" | median)
a=$(printf '%s\n' "${action[@]}" | median)
t=$(printf '%s\n' "${target[@]}" | median)
echo "runs: $runs (medians, ms)"
printf 'floor   docker run --rm busybox true        %7s ms  1.00x\n' "$f"
printf 'action  tink-agent-style action, exit 0     %7s ms  %.2fx floor\n' "$a" "$(awk -v a="$a" -v f="$f" 'BEGIN { print a / f }')"
printf 'target  action start -> target start        %7s ms  %.2fx floor\n' "$t" "$(awk -v a="$t" -v f="$f" 'BEGIN { print a / f }')"
