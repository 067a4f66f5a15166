#!/usr/bin/env bash
# Measures waitdaemon against the floor of this machine, in the same run:
#   floor       `run --rm` of a busybox container that does nothing (the container-start floor)
#   shape floor a no-op action of the first fork's own shape (busybox true, privileged or its stand-in,
#               pid host, the socket and /out bound), created, started and removed as tink-agent does
#   clone start create + start of a detached busybox container through the engine's API on its socket:
#               the engine's own share of a first fork, which no image can avoid (floor + this is the
#               least a first fork can take)
#   first fork  an action as tink-agent runs it (created beforehand, then start, wait, remove): the
#               time the agent waits before it can report
#   lateness    the target's start after the action's exit + WAIT_SECONDS, by the engine's own
#               timestamps (State.StartedAt of the target, State.FinishedAt of the action), and by the
#               target's own process: the action's command writes a file into a folder bound at /out, whose
#               time (the kernel's clock, the engines' too) is when the target really ran. The engines stamp
#               StartedAt at different moments: Docker 28 before its create and start of the task (moby
#               v28.5.1 daemon/start.go), dockerd 20.10 after both (v20.10.27)
#   memory      the first fork's peak memory, from its cgroup (v1 memory.max_usage_in_bytes, or v2
#               memory.peak), sampled while it runs, in three runs of their own after the timed ones
#   size        the image as the engine stores it, and `save | gzip -6`
#   clocks      where the first fork's time goes, by the engine's clocks (the action's and the clone's
#               Created/StartedAt/FinishedAt) and the first fork's own log (its events' timestamps), in three
#               runs of their own after the timed ones (the reads would take CPU from the clone's wait);
#               not on captainos, whose actions' output the agent keeps
# Prints medians, and the first fork's ratio to both floors, for each image measured: the JVM and the
# native image that build-image.sh and build-image.sh --native made, alternating in the same run, or the
# images WAITDAEMON_IMAGES names (separated by spaces).
#   src/scripts/bench.sh [runs] [docker|podman|hookos|ipa|captainos] [WAIT_SECONDS]      default 15 docker 2
# docker: the action reaches dockerd's API through its socket (capabilities stand in for --privileged,
# which this sandbox's Docker cannot start); podman: podman's API service, action truly --privileged;
# hookos: the HookOS-like test machine's Docker 28 (machine.sh), action truly --privileged; ipa: the
# IPA-like test machine's podman 5 API service, likewise; captainos: the CaptainOS-like test machine's
# containerd 2.1, actions created as tink-agent creates them (privileged, pid: host and host network as the
# machine's), through containerd's ctr in the machine; the times of the action's exit and the target's start
# from containerd's own events.
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh
runs=${1:-15}
engine=${2:-docker}
wait_seconds=${3:-2}
read -r -a images <<< "${WAITDAEMON_IMAGES:-local/waitdaemon:dev local/waitdaemon:native}"
ensure_docker
docker_cli_path
for image in "${images[@]}"; do
  docker image inspect "$image" >/dev/null 2>&1 \
    || { echo "no $image: run src/scripts/build-image.sh (--native for the native variant) first" >&2; exit 1; }
done
# cli: the engine's CLI; socket: its API on this host; action_flags: the action's, as tink-agent creates it.
case "$engine" in
  docker)
    cli=(docker)
    socket=/var/run/docker.sock
    action_flags=(--cap-add ALL --cap-drop SYS_RESOURCE -v /var/run/docker.sock:/var/run/docker.sock) ;;
  podman)
    ensure_podman
    cli=(podman)
    for image in "${images[@]}"; do docker save "$image" | podman load -q >/dev/null; done
    socket=/run/podman/podman.sock
    action_flags=(--privileged -v /run/podman/podman.sock:/run/podman/podman.sock) ;;
  hookos|ipa)
    # A test machine (machine.sh: Docker 28 or podman 5 from Debian sid), where actions are truly
    # privileged; the host's docker CLI reaches its engine (podman's through its Docker-compatible
    # API) through the socket the machine shares.
    ensure_podman_cli
    socket=$(src/scripts/machine.sh start "$engine")
    trap 'src/scripts/machine.sh stop "$engine"; stop_started_services' EXIT
    cli=(docker --host "unix://$socket")
    for wanted in "${images[@]}" local/busybox:test; do docker save "$wanted" | "${cli[@]}" load -q >/dev/null; done
    machine_socket=/var/run/docker.sock
    [ "$engine" = ipa ] && machine_socket=/run/podman/podman.sock
    action_flags=(--privileged -v "$machine_socket:$machine_socket") ;;
  captainos)
    ensure_podman_cli
    socket=$(src/scripts/machine.sh start captainos)
    machine_folder=$(dirname "$(dirname "$socket")")
    ctr=(podman exec waitdaemon-machine-captainos ctr --namespace tinkerbell)
    trap 'kill "${events_pid:-}" 2>/dev/null || true; src/scripts/machine.sh stop captainos; stop_started_services' EXIT
    for wanted in "${images[@]}" local/busybox:test; do
      docker save --output "$machine_folder/image.tar" "$wanted"
      "${ctr[@]}" images import /machine/image.tar >/dev/null
      rm -f "$machine_folder/image.tar"
    done
    # tink-agent's shape: privileged, pid: host and host network as the machine's namespaces.
    action_flags=(--privileged --with-ns pid:/proc/1/ns/pid --with-ns network:/proc/1/ns/net)
    # containerd's events, with its own timestamps: the action's exit and the target's start.
    events=$machine_folder/bench-events.log
    podman exec waitdaemon-machine-captainos ctr events > "$events" 2>&1 &
    events_pid=$! ;;
  *) echo "engine must be docker, podman, hookos, ipa or captainos" >&2; exit 2 ;;
esac
[ "$engine" = captainos ] || "${cli[@]}" image inspect local/busybox:test >/dev/null 2>&1 || src/scripts/test-images.sh "$engine"
# Where the targets write when they ran: the host's folder, and the same folder as the engine binds it (a
# machine's engine sees its /machine).
case "$engine" in
  docker|podman)
    out_host=$(mktemp -d "${TMPDIR:-/tmp}/waitdaemon-bench.XXXXXX")
    out_engine=$out_host ;;
  *)
    out_host=$PWD/target/machines/$engine/machine/bench-out
    out_engine=/machine/bench-out ;;
esac
mkdir -p "$out_host"
WAITDAEMON_CREATED_PATHS+=("$out_host")
out_flags=(-v "$out_engine:/out")
[ "$engine" = captainos ] && out_flags=(--mount "type=bind,src=$out_engine,dst=/out,options=rbind:rw")
# ran_ms MARKER: when the target with that marker wrote its file, by the file's time.
ran_ms() {
  for _ in $(seq 300); do [ -e "$out_host/$1" ] && break; sleep 0.1; done
  echo $(( $(stat -c %.3Y "$out_host/$1" | tr -d .) ))
}

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# spread VALUES...: "MEDIAN ms  (min MIN, max MAX)".
spread() {
  local sorted
  sorted=$(printf '%s\n' "$@" | sort -n)
  printf '%5s ms  (min %s, max %s)' "$(median <<< "$sorted")" "$(head -n 1 <<< "$sorted")" "$(tail -n 1 <<< "$sorted")"
}
# podman prints Go's time format ("... +0000 UTC"), docker RFC 3339.
iso_ms() { date -d "${1% UTC}" +%s%3N; }
state() { "${cli[@]}" inspect --format "{{.State.$2}}" "$1"; }
# The bench's own actions; cleanup removes the clones and targets descending from them, and nothing else
# (a test run beside the bench keeps its containers).
made=()
cleanup() { remove_descendants "${made[@]}"; made=(); }

# peak_memory ID OUT: samples the container's cgroup until it is gone; writes the last (largest) peak.
peak_memory() {
  local id=$1 out=$2 file="" peak=0 value
  for _ in $(seq 200); do
    # The container's cgroup, as deep as a test machine nests it (the machine's, then the engine's).
    file=$(ls /sys/fs/cgroup/memory/*/"$id"*/memory.max_usage_in_bytes /sys/fs/cgroup/memory/*/*"$id"*/memory.max_usage_in_bytes \
      /sys/fs/cgroup/memory/*/*/*"$id"*/memory.max_usage_in_bytes /sys/fs/cgroup/memory/*/*/*/*"$id"*/memory.max_usage_in_bytes \
      /sys/fs/cgroup/memory/*/*/*/*/*"$id"*/memory.max_usage_in_bytes \
      /sys/fs/cgroup/*/*"$id"*/memory.peak /sys/fs/cgroup/*"$id"*/memory.peak 2>/dev/null | head -n 1 || true)
    [ -n "$file" ] && break
    sleep 0.005
  done
  while [ -n "$file" ] && value=$(cat "$file" 2>/dev/null); do
    peak=$value
    sleep 0.01
  done
  echo "$peak" > "$out"
}

# clone_start_ms: create and start a detached container as the first fork starts its clone (pid host,
# the engine socket bound), through the API; prints the milliseconds, removes the container.
clone_start_ms() {
  local t0 t1 id api
  # The version the engine announces, as waitdaemon speaks it: Docker 29 refuses clients older than 1.44.
  api=$(curl -sf -o /dev/null -D - --unix-socket "$socket" http://engine/_ping | tr -d '\r' \
    | awk -F': ' 'tolower($1) == "api-version" { print $2 }')
  t0=$(now_ms)
  id=$(curl -sf --unix-socket "$socket" -H 'Content-Type: application/json' \
    -d "{\"Image\":\"local/busybox:test\",\"Cmd\":[\"sleep\",\"5\"],\"HostConfig\":{\"PidMode\":\"host\",\"Binds\":[\"$bind\"]}}" \
    "http://engine/v$api/containers/create" | sed 's/.*"Id":"\([0-9a-f]*\)".*/\1/')
  curl -sf --unix-socket "$socket" -X POST "http://engine/v$api/containers/$id/start" >/dev/null
  t1=$(now_ms)
  "${cli[@]}" rm -f "$id" >/dev/null
  echo $((t1 - t0))
}

# create_action IMAGE [MARKER]: the action as tink-agent creates it, its command (the target's) writing
# /out/MARKER; prints its id.
create_action() {
  "${cli[@]}" create "${action_flags[@]}" "${out_flags[@]}" --pid host -e IMAGE=local/busybox:test -e WAIT_SECONDS="$wait_seconds" \
    "$1" sh -c ': > "/out/$0"' "${2:-unmarked}"
}

# The socket as the action binds it (-v SOURCE:TARGET of action_flags).
bind=${action_flags[-1]}

# noop_action_ms: a no-op action of the first fork's own shape (busybox true, the same flags, pid host,
# the socket and /out bound), created, started and removed as tink-agent does: the second floor.
noop_action_ms() {
  local t0 t1 id
  id=$("${cli[@]}" create "${action_flags[@]}" "${out_flags[@]}" --pid host local/busybox:test true)
  t0=$(now_ms); "${cli[@]}" start --attach "$id" >/dev/null 2>&1; t1=$(now_ms)
  "${cli[@]}" rm -f "$id" >/dev/null
  echo $((t1 - t0))
}

floor_run() { "${cli[@]}" run --rm local/busybox:test true; }
# start_action ID: starts the action and returns once it has exited; fails unless it exited 0.
start_action() {
  "${cli[@]}" start --attach "$1" >/dev/null 2>&1
  [ "$(state "$1" ExitCode)" = 0 ] || { "${cli[@]}" logs "$1" >&2; return 1; }
}
# finished_ms ID: when the action exited, by the engine's clock; remove_action ID: as the agent does.
finished_ms() { iso_ms "$(state "$1" FinishedAt)"; }
remove_action() { "${cli[@]}" rm -f "$1" >/dev/null; }
# target_of ID: the target of that action once it exists (empty if none within the wait); then waits for its end.
target_of() {
  local tid=""
  for _ in $(seq $(( (wait_seconds + 30) * 10 ))); do
    tid=$("${cli[@]}" ps -aq --no-trunc --filter "label=waitdaemon.action=$1" --filter label=waitdaemon.phase=target)
    [ -n "$tid" ] && break; sleep 0.1
  done
  [ -z "$tid" ] || "${cli[@]}" wait "$tid" >/dev/null
  echo "$tid"
}
started_ms() { iso_ms "$(state "$1" StartedAt)"; }
# log_event_ms MESSAGE: the timestamp of the first fork's log event with that message (its log on stdin).
log_event_ms() { local t; t=$(grep -F "\"message\":\"$1\"" | head -n 1 | sed 's/.*"timestamp":"\([^"]*\)".*/\1/'); iso_ms "$t"; }
# clocks ID T0 T1: one first fork (started at T0, its start returned at T1), before the agent removes it:
# seven spans in ms. The engine starts the action; the executable starts, Quarkus starts and the engine is
# found ("runtime selected"); the image check and the own-container lookup, until the clone's Created; the
# engine creates and starts the clone (its StartedAt); the answer reaches the first fork ("clone started");
# the first fork exits (the action's FinishedAt); the engine ends the action's start.
clocks() {
  local id=$1 t0=$2 t1=$3 log started finished selected answered clone created clone_started
  log=$("${cli[@]}" logs "$id" 2>&1)
  started=$(started_ms "$id")
  finished=$(finished_ms "$id")
  selected=$(log_event_ms "runtime selected" <<< "$log")
  answered=$(log_event_ms "clone started; the action is done" <<< "$log")
  clone=$(sed -n 's/.*"cloneId":"\([0-9a-f]*\)".*/\1/p' <<< "$log" | head -n 1)
  created=$(iso_ms "$("${cli[@]}" inspect --format '{{.Created}}' "$clone")")
  clone_started=$(started_ms "$clone")
  echo "$((started - t0)) $((selected - started)) $((created - selected)) $((clone_started - created))" \
    "$((answered - clone_started)) $((finished - answered)) $((t1 - finished))"
}

if [ "$engine" = captainos ]; then
  # The same measurements through containerd's ctr; ctr names the images it imported docker.io/….
  new_id() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
  floor_run() { "${ctr[@]}" run --rm docker.io/local/busybox:test "floor-$(new_id)" true; }
  clone_start_ms() {
    local t0 t1 id
    id=$(new_id)
    t0=$(now_ms)
    "${ctr[@]}" run --detach "${action_flags[@]}" docker.io/local/busybox:test "$id" sleep 5 >/dev/null
    t1=$(now_ms)
    "${ctr[@]}" task kill --signal SIGKILL "$id" >/dev/null 2>&1 || true
    until "${ctr[@]}" task delete "$id" >/dev/null 2>&1; do sleep 0.05; done
    "${ctr[@]}" containers delete "$id" >/dev/null
    echo $((t1 - t0))
  }
  # The action's command `true` after the image's entrypoint, as tink-agent's WithImageConfigArgs gives it
  # (ctr's arguments replace the whole process).
  create_action() {
    local id entrypoint
    id=$(new_id)
    mapfile -t entrypoint < <(docker image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$1" | sed '/^$/d')
    "${ctr[@]}" containers create "${action_flags[@]}" "${out_flags[@]}" --env IMAGE=local/busybox:test --env WAIT_SECONDS="$wait_seconds" \
      "docker.io/$1" "$id" "${entrypoint[@]}" sh -c ': > "/out/$0"' "${2:-unmarked}" >/dev/null
    echo "$id"
  }
  noop_action_ms() {
    local t0 t1 id
    id=$(new_id)
    "${ctr[@]}" containers create "${action_flags[@]}" "${out_flags[@]}" docker.io/local/busybox:test "$id" true >/dev/null
    t0=$(now_ms); "${ctr[@]}" task start "$id" >/dev/null 2>&1; t1=$(now_ms)
    "${ctr[@]}" containers delete "$id" >/dev/null
    echo $((t1 - t0))
  }
  # ctr task start waits for the task, deletes it and exits with its status.
  start_action() { "${ctr[@]}" task start "$1" >/dev/null 2>&1 || { echo "action $1 failed" >&2; return 1; }; }
  remove_action() { "${ctr[@]}" containers delete "$1" >/dev/null; }
  # event_ms TOPIC ID: containerd's timestamp of that event of that container ("2026-12-07 06:05:52.775601016 +0000 UTC ns topic {...}").
  event_ms() {
    local line=""
    for _ in $(seq 600); do
      line=$(grep -F " $1 " "$events" | grep -F "\"container_id\":\"$2\"" | head -n 1 || true)
      [ -n "$line" ] && break; sleep 0.05
    done
    [ -n "$line" ] || { echo "no $1 event for $2" >&2; return 1; }
    date -d "$(echo "$line" | awk '{ print $1, $2, $3 }')" +%s%3N
  }
  finished_ms() { event_ms /tasks/exit "$1"; }
  target_of() {
    local tid=""
    for _ in $(seq $(( (wait_seconds + 30) * 10 ))); do
      tid=$("${ctr[@]}" containers list --quiet "labels.\"waitdaemon.action\"==$1,labels.\"waitdaemon.phase\"==target")
      [ -n "$tid" ] && break; sleep 0.1
    done
    [ -z "$tid" ] || event_ms /tasks/exit "$tid" >/dev/null
    echo "$tid"
  }
  started_ms() { event_ms /tasks/start "$1"; }
  remove_descendants() {
    local action id
    for action in "$@"; do
      for id in $("${ctr[@]}" containers list --quiet "labels.\"waitdaemon.action\"==$action"); do
        "${ctr[@]}" task delete --force "$id" >/dev/null 2>&1 || true
        "${ctr[@]}" containers delete "$id" >/dev/null 2>&1 || true
      done
    done
  }
fi

# Per image (by its index in images): the first fork's times, lateness and peaks, space-separated.
floor=() shape=() clone=() action=() late=() ran=() memory=() spans=()
floor_run   # warm the engine's caches once
for _ in $(seq "$runs"); do
  t0=$(now_ms); floor_run; t1=$(now_ms)
  floor+=($((t1 - t0)))
  shape+=($(noop_action_ms))
  clone+=($(clone_start_ms))

  for i in "${!images[@]}"; do
    cleanup
    marker=ran-$i-$RANDOM$RANDOM
    id=$(create_action "${images[$i]}" "$marker")
    made+=("$id")
    t0=$(now_ms); start_action "$id"; t1=$(now_ms)
    finished=$(finished_ms "$id")
    remove_action "$id"
    action[$i]+=" $((t1 - t0))"
    # Looked for only once it is due: an engine CLI every 0.1 s during the wait took CPU from the clone
    # and the engine, and made the lateness it measured (on podman 175-194 ms, against 148-157 ms).
    sleep $((wait_seconds + 1))
    tid=$(target_of "$id")
    [ -n "$tid" ] || { echo "no target for $id" >&2; exit 1; }
    late[$i]+=" $(( $(started_ms "$tid") - finished - wait_seconds * 1000 ))"
    ran[$i]+=" $(( $(ran_ms "$marker") - finished - wait_seconds * 1000 ))"
  done
done

# Peak memory in runs of their own: the sampler starts a process every few milliseconds, which on a
# two-core machine takes CPU from the first fork (90-140 ms more on its time, measured).
for i in "${!images[@]}"; do
  for _ in 1 2 3; do
    cleanup
    id=$(create_action "${images[$i]}")
    made+=("$id")
    peak_memory "$id" "${TMPDIR:-/tmp}/waitdaemon-bench-peak" &
    sampler=$!
    start_action "$id"
    remove_action "$id"
    wait "$sampler"
    memory[$i]+=" $(( $(cat "${TMPDIR:-/tmp}/waitdaemon-bench-peak") / 1048576 ))"
  done
done
cleanup
rm -f "${TMPDIR:-/tmp}/waitdaemon-bench-peak"

# Where the first fork's time goes, in runs of their own (see clocks).
if [ "$engine" != captainos ]; then
  for i in "${!images[@]}"; do
    for _ in 1 2 3; do
      cleanup
      id=$(create_action "${images[$i]}")
      made+=("$id")
      t0=$(now_ms); start_action "$id"; t1=$(now_ms)
      spans[$i]+="$(clocks "$id" "$t0" "$t1")"$'\n'
      remove_action "$id"
    done
  done
  cleanup
fi

f=$(printf '%s\n' "${floor[@]}" | median)
n=$(printf '%s\n' "${shape[@]}" | median)
c=$(printf '%s\n' "${clone[@]}" | median)
echo "engine: $engine, runs: $runs, WAIT_SECONDS=$wait_seconds (medians; the images alternate in each run)"
printf 'floor       %s run --rm busybox true             %6s ms  1.00x\n' "$engine" "$f"
printf 'clone start create + start through the API        %6s ms  %.2fx floor (floor + clone start: %.2fx)\n' "$c" \
  "$(awk -v c="$c" -v f="$f" 'BEGIN { print c / f }')" "$(awk -v c="$c" -v f="$f" 'BEGIN { print (f + c) / f }')"
printf 'shape floor no-op action of the same shape       %6s ms  %.2fx floor\n' "$n" "$(awk -v n="$n" -v f="$f" 'BEGIN { print n / f }')"
for i in "${!images[@]}"; do
  image=${images[$i]}
  a=$(printf '%s\n' ${action[$i]} | median)
  m=$(printf '%s\n' ${memory[$i]} | median)
  # The image as the host's dockerd stores it (the same layers the machine imported).
  stored=$(docker image inspect --format '{{.Size}}' "$image")
  gzipped=$(docker save "$image" | gzip -6 | wc -c)
  echo "image: $image"
  printf '  first fork  tink-agent-style action, exit 0    %6s ms  %.2fx floor, %.2fx shape floor\n' "$a" \
    "$(awk -v a="$a" -v f="$f" 'BEGIN { print a / f }')" "$(awk -v a="$a" -v n="$n" 'BEGIN { print a / n }')"
  printf '  lateness    target start - (action exit + wait) %s\n' "$(spread ${late[$i]})"
  printf '              by the target'"'"'s own process (its file'"'"'s time) %s\n' "$(spread ${ran[$i]})"
  printf '  memory      first fork peak (cgroup)           %6s MiB\n' "$m"
  printf '  size        stored %s MB, gzipped %s MB\n' "$((stored / 1000000))" "$((gzipped / 1000000))"
  [ -n "${spans[$i]:-}" ] || continue
  echo "  clocks      where the first fork's time goes (medians of 3 runs, the engine's and the log's clocks):"
  column=1
  for span in "the engine starts the action" "the executable and Quarkus start, the engine is found" \
      "the image check and the own-container lookup" "the engine creates and starts the clone" \
      "the answer reaches the first fork" "the first fork exits" "the engine ends the action's start"; do
    printf '              %-55s %5s ms\n' "$span" "$(printf '%s' "${spans[$i]}" | awk -v c="$column" 'NF { print $c }' | median)"
    column=$((column + 1))
  done
done
