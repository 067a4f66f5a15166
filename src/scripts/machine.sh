#!/usr/bin/env bash
# Test machines: the operating systems operators run, each as a privileged podman container whose PID 1
# is the engine, so that an action there is truly privileged and a target's reboot really ends that
# machine (reboot(2) outside the kernel's first pid namespace ends that namespace's init), never the host.
#   hookos  Docker 28 from Debian sid with HookOS's daemon.json: the syslog log driver to udp 127.0.0.1:514,
#           where a listener stands in for Smee (on every machine) and writes what it gets to /machine/syslog.log; the docker CLI
#   ipa     podman 5 from Debian sid: its API service as PID 1 (its socket /run/podman/podman.sock, which
#           actions bind, is /machine/podman/podman.sock on the host), and its CLI
#   captainos  containerd 2.1 from Debian sid as CaptainOS runs it (runc, the CNI plugins in /opt/cni/bin,
#           iptables; no CRI, no btrfs snapshotter): its socket /run/containerd/containerd.sock is
#           /machine/containerd/containerd.sock on the host; ctr for the tests' agent, never for the product
#
#   src/scripts/machine.sh build KIND     the machine's image in podman; prints its name
#   src/scripts/machine.sh start KIND     builds it if need be and starts it afresh; prints the host's path
#                                         of the engine's socket (under target/machines/KIND/machine/)
#   src/scripts/machine.sh stop KIND
# start reads MACHINE_REGISTRY_PORTS (loopback ports of the machine to relay to the host's, through
# /machine/registry-PORT.sock) and MACHINE_SHARED_FOLDER (a host folder the machine sees at the same path).
#
# The tests start, stop and restart machines themselves (support/TestMachine). A machine's /machine is a
# folder of the host: the engine's socket, the syslog file, and the sockets through which the machine's
# loopback ports MACHINE_REGISTRY_PORTS reach the host's loopback registries. Its image store is a host
# folder too (overlay2 needs one; HookOS keeps it on tmpfs), so a restarted machine keeps its images.
# The root file system is built with mmdebstrap and rebuilt only when this script changes.
set -euo pipefail
cd "$(dirname "$0")/../.."

verb=${1:-}
kind=${2:-}
case "$verb:$kind" in
  build:hookos|build:ipa|build:captainos|start:hookos|start:ipa|start:captainos|stop:hookos|stop:ipa|stop:captainos) ;;
  *) echo "usage: src/scripts/machine.sh build|start|stop hookos|ipa|captainos" >&2; exit 2 ;;
esac
# (WAITDAEMON_MACHINE_PREFIX: another name, for a test of this script beside the machines of its run.)
name=${WAITDAEMON_MACHINE_PREFIX:-waitdaemon-machine}-$kind
folder=$PWD/target/machines/$kind

# The run that started the machine (WAITDAEMON_RUN_ID, set by engine.sh): a run replaces or removes only
# its own machine, or one no run holds any more, never the machine a test run in progress uses.
owner() { podman inspect --format '{{index .Config.Labels "waitdaemon.run"}}' "$name" 2>/dev/null || true; }
running() { [ "$(podman inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" = true ]; }
# A run id engine.sh made (run-PID-START, START being that shell's start time in clock ticks) names a run
# that is over once that process is gone: a machine it left behind, because the run was killed before its
# exit trap, is no run's any more. Any other owner (a machine started by hand) counts as held.
held() {
  local id=$1 pid start
  case "$id" in
    run-*-*)
      pid=${id#run-} start=${id##*-}
      pid=${pid%%-*}
      [ -r "/proc/$pid/stat" ] && [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)" = "$start" ] ;;
    *) return 0 ;;
  esac
}
theirs() { running && [ -n "$(owner)" ] && [ "$(owner)" != "${WAITDAEMON_RUN_ID:-}" ] && held "$(owner)"; }

if [ "$verb" = stop ]; then
  if [ -n "${WAITDAEMON_RUN_ID:-}" ] && theirs; then
    echo "machine.sh: the $kind machine belongs to another run ($(owner)); left running" >&2
    exit 0
  fi
  podman rm --force --time 0 "$name" >/dev/null 2>&1 || true
  exit 0
fi
if [ "$verb" = start ]; then
  if theirs || { [ -z "${WAITDAEMON_RUN_ID:-}" ] && running && held "$(owner)"; }; then
    echo "machine.sh: the $kind machine is in use by another run ($(owner)); stop it with machine.sh stop $kind" \
      "once that run is done" >&2
    exit 1
  fi
  image=$("$0" build "$kind")
  podman rm --force --time 0 "$name" >/dev/null 2>&1 || true
  # The engine's run folder, where its socket is, is a host folder (a socket on the machine's tmpfs /run
  # could not be reached from the host).
  case "$kind" in
    hookos) socket=$folder/machine/docker.sock store=/var/lib/docker rundir=/run/podman ;;
    ipa) socket=$folder/machine/podman/podman.sock store=/var/lib/containers rundir=/run/podman ;;
    captainos) socket=$folder/machine/containerd/containerd.sock store=/var/lib/containerd rundir=/run/containerd ;;
  esac
  # A machine boots with an empty /run: no task, shim or socket of its last start.
  rm -rf "${folder:?}/machine/${rundir#/run/}"
  mkdir -p "$folder/machine/${rundir#/run/}" "$folder/store"
  rm -f "$socket"
  shared=()
  [ -z "${MACHINE_SHARED_FOLDER:-}" ] || shared=(--volume "$MACHINE_SHARED_FOLDER:$MACHINE_SHARED_FOLDER")
  # Limits this sandbox allows (its hard nofile limit is below podman's defaults: runc fails otherwise).
  podman run --detach --name "$name" --label "waitdaemon.run=${WAITDAEMON_RUN_ID:-manual-$$}" --privileged --tmpfs /run --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
    --env "MACHINE_REGISTRY_PORTS=${MACHINE_REGISTRY_PORTS:-}" \
    --volume "$folder/machine:/machine" --volume "$folder/store:$store" --volume "$folder/machine/${rundir#/run/}:$rundir" \
    "${shared[@]}" "$image" >/dev/null
  for _ in $(seq 1 600); do
    if { [ "$kind" = captainos ] && [ -S "$socket" ] && podman exec "$name" ctr version >/dev/null 2>&1; } ||
      curl -sf --max-time 2 --unix-socket "$socket" http://machine/_ping >/dev/null 2>&1; then
      echo "$socket"
      exit 0
    fi
    sleep 0.1
  done
  echo "machine.sh: the $kind machine's engine did not answer within 60 s" >&2
  podman logs --tail 20 "$name" >&2
  exit 1
fi

MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
recipe=$(sha256sum "$0" | cut -c1-16)
image=localhost/waitdaemon-machine-$kind:$recipe
if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

need=()
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The machine's PID 1: the helpers in the background, then the engine itself (exec).
{
  echo '#!/bin/sh'
  echo 'set -e'
  echo '# Loopback ports of the machine that reach the host'"'"'s loopback registries through sockets in /machine.'
  echo 'for port in ${MACHINE_REGISTRY_PORTS:-}; do'
  echo '  socat TCP-LISTEN:"$port",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:/machine/registry-"$port".sock &'
  echo 'done'
  echo '# A plain process in the machine'"'"'s namespaces, as a real host'"'"'s init is: the engine (a Go program) as'
  echo '# PID 1 has been seen with its main thread in another network namespace, and /proc/1/ns names that'"'"'s.'
  echo 'sleep infinity &'
  echo 'echo "$!" > /machine/host-pid'
  echo '# Smee'"'"'s stand-in: every syslog datagram sent to the machine'"'"'s 127.0.0.1:514 (HookOS'"'"'s log driver,'
  echo '# a clone'"'"'s own reports), appended to a file the tests read.'
  echo 'socat -u UDP-RECV:514,bind=127.0.0.1 OPEN:/machine/syslog.log,creat,append &'
  if [ "$kind" = hookos ]; then
    echo 'exec dockerd --host unix:///var/run/docker.sock --host unix:///machine/docker.sock'
  elif [ "$kind" = captainos ]; then
    echo 'exec containerd --config /etc/containerd/config.toml'
  else
    echo '# podman speaks plain HTTP to the tests'"'"' loopback registries.'
    echo 'mkdir -p /etc/containers/registries.conf.d'
    echo 'for port in ${MACHINE_REGISTRY_PORTS:-}; do'
    echo '  printf '"'"'[[registry]]\nlocation = "127.0.0.1:%s"\ninsecure = true\n\n'"'"' "$port"'
    echo 'done > /etc/containers/registries.conf.d/waitdaemon-tests.conf'
    echo '# The socket actions bind, in a folder the host sees (/machine/podman is mounted at /run/podman).'
    echo 'exec podman system service --time=0 unix:///run/podman/podman.sock'
  fi
} > "$work/machine-init"
chmod 755 "$work/machine-init"

aptopt=(--aptopt='Acquire::Check-Valid-Until "false"')
hooks=(--customize-hook="upload $work/machine-init /usr/local/sbin/machine-init"
  --customize-hook='chmod 755 "$1/usr/local/sbin/machine-init"'
  --customize-hook='rm -rf "$1"/usr/share/doc "$1"/usr/share/man "$1"/usr/share/locale "$1"/var/cache/apt/archives/*.deb')
if [ "$kind" = hookos ]; then
  packages=docker.io,docker-cli,socat,busybox,iptables,ca-certificates
  # HookOS's daemon.json, with Smee's address on the machine's loopback.
  printf '%s\n' '{"log-driver": "syslog", "log-opts": {"syslog-address": "udp://127.0.0.1:514"}}' \
    > "$work/daemon.json"
  hooks+=(--customize-hook='mkdir -p "$1/etc/docker"' --customize-hook="upload $work/daemon.json /etc/docker/daemon.json")
elif [ "$kind" = captainos ]; then
  packages=containerd,runc,containernetworking-plugins,iptables,socat,busybox,ca-certificates
  # CaptainOS's containerd: no CRI (nothing here is Kubernetes), and no btrfs snapshotter, which takes the
  # core services down in a container; the CNI plugins where tink-agent looks for them.
  {
    echo 'version = 3'
    echo 'disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime", "io.containerd.snapshotter.v1.btrfs"]'
    echo '[grpc]'
    echo '  address = "/run/containerd/containerd.sock"'
  } > "$work/config.toml"
  hooks+=(--customize-hook='mkdir -p "$1/etc/containerd" "$1/opt/cni"' --customize-hook="upload $work/config.toml /etc/containerd/config.toml"
    --customize-hook='ln -s /usr/lib/cni "$1/opt/cni/bin"')
else
  packages=podman,crun,conmon,netavark,aardvark-dns,nftables,socat,busybox,ca-certificates,catatonit,util-linux
  # This sandbox's hard nofile limit is below podman's default ulimits (as on the host, see engine.sh).
  printf '%s\n' '[containers]' 'default_ulimits = ["nofile=1024:1024","nproc=1024:1024"]' > "$work/containers.conf"
  hooks+=(--customize-hook='mkdir -p "$1/etc/containers"'
    --customize-hook="upload $work/containers.conf /etc/containers/containers.conf")
fi
started=$(date +%s)
mmdebstrap --quiet --variant=apt "${aptopt[@]}" --include="$packages" "${hooks[@]}" sid "$work/root.tar" "$MIRROR" </dev/null
podman import --quiet --change 'CMD ["/usr/local/sbin/machine-init"]' "$work/root.tar" "$image" >/dev/null
echo "built the $kind machine $image in $(( $(date +%s) - started )) s" >&2
echo "$image"
