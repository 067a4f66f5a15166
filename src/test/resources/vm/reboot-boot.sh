#!/bin/sh
# VmIT's reboot boot, run by the guest's init once Docker answers. Docker is configured as HookOS configures
# it (/xfer/daemon.json: the syslog log driver to Smee), so the clone must not send its events a second time.
# The action, created as tink-agent's Docker runtime creates one on HookOS, runs the native image with a
# target that reboots the machine (qemu's -no-reboot turns that into qemu's end).
# Lines starting with "case:" are what VmIT reads; times are the guest's clock, in seconds since the epoch.
set -u
docker load -q -i /xfer/native.tar >/dev/null
# NATIVE and JVM: the names of the images under test (VmIT writes them)
. /xfer/images.env
mkdir -p /tmp/busybox-image
cp /bin/busybox /tmp/busybox-image/busybox
tar -C /tmp/busybox-image -c . | docker import - local/busybox:test >/dev/null
echo "case: images ready"
# WAIT_SECONDS=10: under software emulation each docker CLI call takes about a second, and the agent's
# inspect and force-remove must be done before the machine goes down (3 s was too short here).
id=$(docker create --privileged --pid host -v /var/run/docker.sock:/var/run/docker.sock \
  -e IMAGE=local/busybox:test -e WAIT_SECONDS=10 "$NATIVE" /busybox reboot -f)
docker start -a "$id" > /tmp/reboot.log 2>&1
record=$(docker inspect -f '{{.State.ExitCode}} {{.State.FinishedAt}}' "$id")
echo "case: reboot action $id exited ${record%% *} finished $(date -d "${record#* }" +%s.%N) now $(date +%s.%N)"
docker rm -f "$id" >/dev/null
docker inspect "$id" >/dev/null 2>&1 || echo "case: reboot action removed"
docker wait "$(docker ps -aq --no-trunc --filter label=waitdaemon.phase=clone --filter "label=waitdaemon.action=$id")" >/dev/null
echo "case: the clone of the reboot ended without a reboot"
