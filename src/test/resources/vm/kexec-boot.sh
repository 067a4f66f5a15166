#!/bin/sh
# VmIT's kexec boot, run by the guest's init once Docker answers (the daemon's default json-file log driver,
# so the clone itself must report to Smee, found through the kernel command line alone). Each action is
# created as tink-agent's Docker runtime creates one on HookOS: privileged, pid host, Docker's socket and the
# template's volume bound, the template's command; started, awaited, force-removed.
#   1. a kexec that cannot load, with the native image, then with the JVM image: the clone reports how the
#      target ended, and ends;
#   2. a kexec into a second kernel with the native image: the second kernel prints its marker and powers off.
# Lines starting with "case:" are what VmIT reads; times are the guest's clock, in seconds since the epoch.
set -u
docker load -q -i /xfer/native.tar >/dev/null
docker load -q -i /xfer/jvm.tar >/dev/null
# NATIVE and JVM: the names of the images under test (VmIT writes them)
. /xfer/images.env
# The target image: Debian's kexec-tools as this machine has them, with the libraries kexec links, and busybox.
mkdir -p /tmp/kexec-image
for file in /usr/sbin/kexec $(ldd /usr/sbin/kexec | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
  mkdir -p "/tmp/kexec-image$(dirname "$file")"
  cp -L "$file" "/tmp/kexec-image$file"
done
cp /bin/busybox /tmp/kexec-image/busybox
tar -C /tmp/kexec-image -c . | docker import - local/kexec:test >/dev/null
echo "case: images ready"

# action NAME WAITDAEMON_IMAGE WAIT_SECONDS COMMAND...: prints the action's id, exit code and the engine's
# record of its exit time, with the guest's clock at that moment (VmIT relates the two clocks through it).
action() {
  name=$1 image=$2 wait=$3
  shift 3
  id=$(docker create --privileged --pid host -v /var/run/docker.sock:/var/run/docker.sock -v /xfer:/xfer:ro \
    -e IMAGE=local/kexec:test -e WAIT_SECONDS="$wait" "$image" "$@")
  docker start -a "$id" > "/tmp/$name.log" 2>&1
  record=$(docker inspect -f '{{.State.ExitCode}} {{.State.FinishedAt}}' "$id")
  echo "case: $name action $id exited ${record%% *} finished $(date -d "${record#* }" +%s.%N) now $(date +%s.%N)"
  docker rm -f "$id" >/dev/null
  docker inspect "$id" >/dev/null 2>&1 || echo "case: $name action removed"
}

# clone_ended NAME: waits for the action's clone to end (the engine's event, not a clock).
clone_ended() {
  clone=$(docker ps -aq --no-trunc --filter label=waitdaemon.phase=clone --filter "label=waitdaemon.action=$id")
  echo "case: $1 clone ended $(docker wait "$clone")"
}

action failed-native "$NATIVE" 1 /usr/sbin/kexec -l /xfer/marker.cpio --append=console=ttyS0
clone_ended failed-native
action failed-jvm "$JVM" 1 /usr/sbin/kexec -l /xfer/marker.cpio --append=console=ttyS0
clone_ended failed-jvm
# WAIT_SECONDS=10: under software emulation each docker CLI call takes about a second, and the agent's
# inspect and force-remove must be done before the kernel is replaced.
# nosmp: the second kernel on one CPU. With two, under qemu's multi-threaded emulation, a kexec'd kernel was
# seen to die as it booted (an int3 in sched_clock_cpu while it patched its own code; once in six boots).
action kexec "$NATIVE" 10 /busybox sh -c \
  '/usr/sbin/kexec -l /xfer/vmlinuz --initrd=/xfer/marker.cpio --append="console=ttyS0 installed_os=1 nosmp panic=1 oops=panic" && /usr/sbin/kexec -e'
# The second kernel ends this boot; without a kexec, VmIT's limit does.
docker wait "$(docker ps -aq --no-trunc --filter label=waitdaemon.phase=clone --filter "label=waitdaemon.action=$id")" >/dev/null
echo "case: the clone of the kexec ended without a kexec"
