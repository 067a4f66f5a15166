#!/usr/bin/env bash
# Images the engine tests run as targets, made from Debian's busybox-static (no registry here).
#   local/busybox:test            busybox applets, no entrypoint
#   local/waitdaemon-target:test  an entrypoint that records what the target saw into /out
#
#   src/scripts/test-images.sh [docker|podman ...]     default: docker
set -euo pipefail

engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(docker)

if [ ! -x /bin/busybox ] || ! /bin/busybox --list | grep -qx nsenter; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin" "$work/root/tmp" "$work/root/out"
cp /bin/busybox "$work/root/bin/busybox"
for applet in sh echo cat env sleep printf ls date mkdir true false id nsenter; do
  ln -s busybox "$work/root/bin/$applet"
done
cat > "$work/root/bin/target-entry" <<'SCRIPT'
#!/bin/sh
# The target image's own entrypoint: proves it ran, and records the command and environment it got.
[ -d /out ] || exit 0
printf '%s\n' "$@" > /out/args
env > /out/env
# Whether a registry credentials file reached it readable (it must not: it stays with the first fork's pull;
# where the action's mount carried it, waitdaemon masks it with an empty file).
if [ -s /root/.docker/config.json ]; then echo readable; elif [ -e /root/.docker/config.json ]; then echo masked; else echo absent; fi > /out/docker-config
echo ran > /out/entrypoint
SCRIPT
chmod 755 "$work/root/bin/target-entry"

for engine in "${engines[@]}"; do
  tar -C "$work/root" -c . | "$engine" import --change 'ENV PATH=/bin' - local/busybox:test >/dev/null
  tar -C "$work/root" -c . | "$engine" import --change 'ENV PATH=/bin' \
    --change 'ENTRYPOINT ["/bin/target-entry"]' - local/waitdaemon-target:test >/dev/null
  echo "test images loaded into $engine"
done
