# Sourced by the scripts here: makes a Docker Engine answer on /var/run/docker.sock and, for the
# tests, podman's Docker-compatible service on /run/podman/podman.sock. Installs what is missing from
# Debian; reuses a service that answers; otherwise starts one, which the last run using it stops when it
# exits. Needs root, as on a fresh Debian.

WAITDAEMON_STARTED_PIDS=()
# Files and folders this script wrote on the machine (configuration, registry storage): removed again
# when it exits, so that a run leaves the machine as it found it. Only what it created itself.
WAITDAEMON_CREATED_PATHS=()
# Test machines (hookos, ipa) the run may leave behind: stopped on exit, if they are still this run's.
WAITDAEMON_CREATED_MACHINES=()
# This run's id: the test machines it starts carry it, and a run replaces or removes only its own, or one
# whose run is over (machine.sh: the shell's pid and start time, field 22 of /proc/PID/stat).
export WAITDAEMON_RUN_ID=${WAITDAEMON_RUN_ID:-run-$$-$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)}
# What concurrent runs on one machine share (a developer's test run beside a bench): an engine service or a
# configuration file that one run started or wrote, and that others came to use. Each run using it is a
# file named after its shell's pid; the last one out stops or removes it, never one another run still uses.
WAITDAEMON_SHARED=${WAITDAEMON_SHARED:-/run/waitdaemon-shared}
WAITDAEMON_USING=()
# What this run started or wrote itself: it says so when it leaves one to other runs.
WAITDAEMON_OWNED=()

# use_shared NAME: this run uses NAME until it exits.
use_shared() {
  mkdir -p "$WAITDAEMON_SHARED/$1/users"
  : > "$WAITDAEMON_SHARED/$1/users/$$"
  WAITDAEMON_USING+=("$1")
}

# own_shared NAME pid PID | own_shared NAME path PATH: what the last run using NAME stops or removes.
own_shared() {
  printf '%s\n' "$3" > "$WAITDAEMON_SHARED/$1/$2"
  WAITDAEMON_OWNED+=("$1")
}

release_shared() {
  local name dir user pid
  for name in "${WAITDAEMON_USING[@]}"; do
    dir=$WAITDAEMON_SHARED/$name
    rm -f "$dir/users/$$"
    for user in "$dir"/users/*; do
      [ -e "$user" ] || continue
      kill -0 "$(basename "$user")" 2>/dev/null || rm -f "$user"
    done
    if [ -n "$(ls -A "$dir/users" 2>/dev/null)" ]; then
      if [[ " ${WAITDAEMON_OWNED[*]} " == *" $name "* ]]; then
        echo "$name: left to the other runs that use it; the last of them stops or removes it"
      fi
      continue
    fi
    if [ -f "$dir/pid" ]; then
      pid=$(cat "$dir/pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    if [ -f "$dir/path" ]; then rm -rf -- "$(cat "$dir/path")"; fi
    rm -rf -- "$dir"
  done
  rmdir "$WAITDAEMON_SHARED" 2>/dev/null || true
}

# Every service first, then the waits; a wait that reports the service's exit status must not end the
# handler early (errexit) and leave the next service running. Then what was written for them, this run's
# test machines, and what it shares with other runs.
stop_started_services() {
  local pid path name
  for pid in "${WAITDAEMON_STARTED_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${WAITDAEMON_STARTED_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for path in "${WAITDAEMON_CREATED_PATHS[@]}"; do rm -rf -- "$path"; done
  for name in "${WAITDAEMON_CREATED_MACHINES[@]}"; do bash src/scripts/machine.sh stop "$name" || true; done
  release_shared
}
trap stop_started_services EXIT
# A stopped run (SIGTERM, Ctrl-C) cleans up too: without these the shell dies without its EXIT trap.
trap 'exit 143' TERM
trap 'exit 130' INT

# write_for_this_run FILE: stdin into FILE, which must not exist yet, removed when the script exits. Call it
# in the script's own shell (a here-document, never at the end of a pipe, which runs it in a subshell).
write_for_this_run() {
  mkdir -p "$(dirname "$1")"
  cat > "$1"
  WAITDAEMON_CREATED_PATHS+=("$1")
}

# remove_descendants ACTION_ID...: removes the clones and targets of these actions (their waitdaemon.action
# label), through the engine CLI in the array cli, and nothing else of the engine's.
remove_descendants() {
  local action ids
  for action in "$@"; do
    ids=$("${cli[@]}" ps -aq --filter "label=waitdaemon.action=$action")
    [ -z "$ids" ] || "${cli[@]}" rm -f $ids >/dev/null
  done
}

docker_answers() {
  curl -sf --max-time 2 --unix-socket /var/run/docker.sock http://engine/_ping >/dev/null 2>&1
}

ensure_docker() {
  if docker_answers; then
    echo "docker: reusing the engine that answers on /var/run/docker.sock"
    use_shared dockerd
    return
  fi
  if ! command -v dockerd >/dev/null || ! command -v curl >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io curl >/dev/null
  fi
  local log=${TMPDIR:-/tmp}/waitdaemon-dockerd.log
  dockerd --host unix:///var/run/docker.sock >"$log" 2>&1 &
  local pid=$!
  use_shared dockerd
  own_shared dockerd pid "$pid"
  await_service docker_answers "docker: dockerd" "$pid" "$log"
}

# await_service CHECK NAME PID LOG [CHECK ARGS...]: waits up to 30 s for CHECK to succeed, else shows the log.
await_service() {
  for _ in $(seq 1 60); do
    if "$1" "${@:5}"; then
      echo "$2 started (pid $3, log $4)"
      return
    fi
    sleep 0.5
  done
  echo "$2 did not answer within 30 s; its log:" >&2
  tail -n 30 "$4" >&2
  return 1
}

podman_answers() {
  curl -sf --max-time 2 --unix-socket /run/podman/podman.sock http://engine/_ping >/dev/null 2>&1
}

# The podman CLI alone (publish.sh uses it to import and push the bases).
ensure_podman_cli() {
  if ! command -v podman >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 podman >/dev/null
  fi
  # This sandbox's hard nofile limit is below podman's default ulimits; without this runc fails. For
  # this run only: every later podman container would inherit the low limits otherwise.
  # (A here-document, not a pipe: write_for_this_run must run in this shell to record the file.)
  use_shared containers-conf
  if [ ! -f /etc/containers/containers.conf ]; then
    mkdir -p /etc/containers
    cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024","nproc=1024:1024"]
CONF
    own_shared containers-conf path /etc/containers/containers.conf
  fi
}

ensure_podman() {
  ensure_podman_cli
  if podman_answers; then
    echo "podman: reusing the service that answers on /run/podman/podman.sock"
    use_shared podman-service
    return
  fi
  mkdir -p /run/podman
  local log=${TMPDIR:-/tmp}/waitdaemon-podman.log
  podman system service --time=0 unix:///run/podman/podman.sock >"$log" 2>&1 &
  local pid=$!
  use_shared podman-service
  own_shared podman-service pid "$pid"
  await_service podman_answers "podman: its API service" "$pid" "$log"
}

# The docker CLI the scripts and tests use: Debian's, matching the daemon, when a newer one shadows it.
docker_cli_path() {
  if [ -x /usr/bin/docker ]; then
    export PATH=/usr/bin:$PATH
  fi
}

# ensure_registry PORT [USER]: a container registry (Debian's Distribution) on 127.0.0.1:PORT for the
# tests, its storage in a fresh folder; stopped when the calling script exits. With USER, it takes only
# that user (htpasswd, bcrypt), whose password is read from WAITDAEMON_REGISTRY_PASSWORD (never an
# argument). A port already answering is an error rather than a registry to reuse: the tests must not
# push into somebody else's.
ensure_registry() {
  local port=$1 user=${2:-}
  if ! command -v docker-registry >/dev/null || ! command -v htpasswd >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 docker-registry apache2-utils >/dev/null
  fi
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
    echo "registry: 127.0.0.1:$port is already taken; free it or choose another port" >&2
    return 1
  fi
  local dir auth=""
  dir=$(mktemp -d "${TMPDIR:-/tmp}/waitdaemon-registry.XXXXXX")
  WAITDAEMON_CREATED_PATHS+=("$dir")
  mkdir -p "$dir/data"
  if [ -n "$user" ]; then
    printf '%s\n' "$WAITDAEMON_REGISTRY_PASSWORD" | htpasswd -iBc "$dir/htpasswd" "$user" 2>/dev/null
    auth="auth: {htpasswd: {realm: waitdaemon-tests, path: $dir/htpasswd}}"
  fi
  cat > "$dir/config.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
$auth
YML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  local pid=$!
  WAITDAEMON_STARTED_PIDS+=("$pid")
  await_service registry_answers "registry: 127.0.0.1:$port${user:+ (user $user)}" "$pid" "$dir/log" "$port"
}

# start_test_registries: the tests' registries on loopback, an open one (REGISTRY_PORT) and one that wants a
# login (PRIVATE_REGISTRY_PORT; WAITDAEMON_REGISTRY_USER and a fresh WAITDAEMON_REGISTRY_PASSWORD exported, for
# the tests' environment, never an argument). Any free loopback ports will do.
start_test_registries() {
  REGISTRY_PORT=${WAITDAEMON_TEST_REGISTRY_PORT:-5055}
  PRIVATE_REGISTRY_PORT=${WAITDAEMON_TEST_PRIVATE_REGISTRY_PORT:-5056}
  export WAITDAEMON_REGISTRY_USER=waitdaemon
  # With what generated passwords can hold and config expressions would mangle: $$, ${…} and a trailing ${.
  WAITDAEMON_REGISTRY_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"'-$$x-${HOME}-${'
  export WAITDAEMON_REGISTRY_PASSWORD
  # Test set-up only, never the product's: podman speaks plain HTTP to the tests' loopback registries.
  # Removed when the calling script exits, as is everything else it wrote on the machine.
  rm -f /etc/containers/registries.conf.d/waitdaemon-tests.conf
  write_for_this_run /etc/containers/registries.conf.d/waitdaemon-tests.conf <<CONF
[[registry]]
location = "127.0.0.1:$REGISTRY_PORT"
insecure = true

[[registry]]
location = "127.0.0.1:$PRIVATE_REGISTRY_PORT"
insecure = true
CONF
  ensure_registry "$REGISTRY_PORT"
  ensure_registry "$PRIVATE_REGISTRY_PORT" "$WAITDAEMON_REGISTRY_USER"
}

# Any HTTP answer from /v2/: 200, or 401 from a registry that wants a login.
registry_answers() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/v2/")
  [ "$code" = 200 ] || [ "$code" = 401 ]
}
