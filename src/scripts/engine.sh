# Sourced by the scripts here: makes a Docker Engine answer on /var/run/docker.sock and, for the
# tests, podman's Docker-compatible service on /run/podman/podman.sock. Installs what is missing from
# Debian; reuses a service that answers; otherwise starts one and stops it (only it) when the calling
# script exits. Needs root, as on a fresh Debian.

WAITDAEMON_STARTED_PIDS=()
trap 'for pid in "${WAITDAEMON_STARTED_PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done' EXIT

docker_answers() {
  curl -sf --max-time 2 --unix-socket /var/run/docker.sock http://engine/_ping >/dev/null 2>&1
}

ensure_docker() {
  if docker_answers; then
    echo "docker: reusing the engine that answers on /var/run/docker.sock"
    return
  fi
  if ! command -v dockerd >/dev/null || ! command -v curl >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io curl >/dev/null
  fi
  local log=${TMPDIR:-/tmp}/waitdaemon-dockerd.log
  dockerd --host unix:///var/run/docker.sock >"$log" 2>&1 &
  local pid=$!
  WAITDAEMON_STARTED_PIDS+=("$pid")
  await_service docker_answers "docker: dockerd" "$pid" "$log"
}

# await_service CHECK NAME PID LOG: waits up to 30 s for CHECK to succeed, else shows the log.
await_service() {
  for _ in $(seq 1 60); do
    if "$1"; then
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

ensure_podman() {
  if ! command -v podman >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null
  fi
  # This sandbox's hard nofile limit is below podman's default ulimits; without this runc fails.
  if [ ! -f /etc/containers/containers.conf ]; then
    mkdir -p /etc/containers
    printf '[containers]\ndefault_ulimits = ["nofile=1024:1024","nproc=1024:1024"]\n' > /etc/containers/containers.conf
  fi
  if podman_answers; then
    echo "podman: reusing the service that answers on /run/podman/podman.sock"
    return
  fi
  mkdir -p /run/podman
  local log=${TMPDIR:-/tmp}/waitdaemon-podman.log
  podman system service --time=0 unix:///run/podman/podman.sock >"$log" 2>&1 &
  local pid=$!
  WAITDAEMON_STARTED_PIDS+=("$pid")
  await_service podman_answers "podman: its API service" "$pid" "$log"
}

# The docker CLI the scripts and tests use: Debian's, matching the daemon, when a newer one shadows it.
docker_cli_path() {
  if [ -x /usr/bin/docker ]; then
    export PATH=/usr/bin:$PATH
  fi
}
