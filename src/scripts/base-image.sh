#!/usr/bin/env bash
# Builds the runtime base image that Jib layers the application on, and loads it into the local
# engine(s). No registry is needed: a Debian rootfs from mmdebstrap (glibc + busybox, which brings
# nsenter) plus a jlink'd Java 17 runtime.
#
#   src/scripts/base-image.sh [docker|podman ...]     default: docker
#
# The image is rebuilt only when this script changes (its hash is a label on the image).
set -euo pipefail

BASE_IMAGE=${WAITDAEMON_BASE_IMAGE:-local/waitdaemon-base:bookworm-jre17}
JDK_HOME=${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Modules a Quarkus REST-client command needs; jdk.zipfs is needed to read the fast-jar.
JAVA_MODULES=java.base,java.logging,java.management,java.naming,java.xml,jdk.unsupported,jdk.crypto.ec,jdk.zipfs
# busybox applets linked into /usr/local/bin: nsenter for the host mode of nerdctl, a shell for debugging.
APPLETS="sh ls cat env sleep nsenter ps"

engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(docker)
recipe=$(sha256sum "$0" | cut -c1-16)

needs_build=()
for engine in "${engines[@]}"; do
  have=$("$engine" image inspect --format '{{ index .Config.Labels "waitdaemon.base.recipe" }}' "$BASE_IMAGE" 2>/dev/null || true)
  if [ "$have" = "$recipe" ]; then
    echo "base image $BASE_IMAGE is current in $engine"
  else
    needs_build+=("$engine")
  fi
done
[ ${#needs_build[@]} -gt 0 ] || exit 0

if ! command -v mmdebstrap >/dev/null || [ ! -x "$JDK_HOME/bin/jlink" ] || [ ! -d "$JDK_HOME/jmods" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap openjdk-17-jdk-headless >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

keyring=()
# Named explicitly so that a non-Debian host (e.g. an Ubuntu CI runner) verifies Debian's archive.
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] && keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
mmdebstrap --quiet --variant=extract "${keyring[@]}" --include=libc6,libgcc-s1,libstdc++6,zlib1g,busybox-static \
  bookworm "$rootfs" "$MIRROR" </dev/null
"$JDK_HOME/bin/jlink" --add-modules "$JAVA_MODULES" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --generate-cds-archive --output "$rootfs/opt/java"

mkdir -p "$rootfs/usr/local/bin" "$rootfs/tmp" "$rootfs/root" "$rootfs/etc"
chmod 1777 "$rootfs/tmp"
for applet in $APPLETS; do ln -sf /bin/busybox "$rootfs/usr/local/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
echo 'root:x:0:' > "$rootfs/etc/group"

for engine in "${needs_build[@]}"; do
  tar -C "$rootfs" -c . | "$engine" import \
    --change 'ENV PATH=/opt/java/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL waitdaemon.base.recipe=$recipe" \
    - "$BASE_IMAGE" >/dev/null
  echo "built base image $BASE_IMAGE in $engine"
done
