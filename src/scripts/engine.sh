# Sourced by the scripts here: makes a Docker Engine answer on /var/run/docker.sock.
# Installs docker.io from Debian when dockerd is missing; reuses a daemon that answers; otherwise
# starts one and stops it (only it) when the calling script exits. Needs root, as on a fresh Debian.

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
  WAITDAEMON_DOCKERD_PID=$!
  trap 'kill "$WAITDAEMON_DOCKERD_PID" 2>/dev/null; wait "$WAITDAEMON_DOCKERD_PID" 2>/dev/null' EXIT
  for _ in $(seq 1 60); do
    if docker_answers; then
      echo "docker: started dockerd (pid $WAITDAEMON_DOCKERD_PID, log $log)"
      return
    fi
    sleep 0.5
  done
  echo "docker: dockerd did not answer within 30 s; its log:" >&2
  tail -n 30 "$log" >&2
  return 1
}

# The docker CLI the scripts and tests use: Debian's, matching the daemon, when a newer one shadows it.
docker_cli_path() {
  if [ -x /usr/bin/docker ]; then
    export PATH=/usr/bin:$PATH
  fi
}
