#!/usr/bin/env bash
# Makes the root file system that Jib layers the application on, for one architecture, from Debian
# packages only (no registry): glibc and busybox (which brings nsenter) from mmdebstrap, plus a Java
# runtime cut down by jlink. Writes it as a tar file; build-image.sh and publish.sh turn it into images.
#
#   src/scripts/base-image.sh ARCH TAR [jvm|native]      ARCH: amd64 or arm64; default jvm
#
# The Java runtime per architecture (chosen by measurement, see the README's Performance section):
#   amd64  Temurin 25 (JDK25_HOME), linked from its run-time image; the image build adds an AOT cache
#          trained on the real first fork (build-image.sh).
#   arm64  Debian bookworm's OpenJDK 17 for arm64, linked here by the host's jlink 17 from the arm64
#          jmods (no JDK 25 for arm64 with jmods can be had from Debian; a cache trained under
#          emulation is not trusted).
#   native no Java: glibc and busybox only, for the native executable that CI builds.
#
# The tar is rebuilt only when this script changes (its hash is kept beside the tar).
set -euo pipefail

arch=${1:?usage: base-image.sh amd64|arm64 TAR [jvm|native]}
out=${2:?usage: base-image.sh amd64|arm64 TAR [jvm|native]}
variant=${3:-jvm}
case "$arch" in amd64|arm64) ;; *) echo "base-image.sh: ARCH must be amd64 or arm64, not '$arch'" >&2; exit 2 ;; esac
case "$variant" in jvm|native) ;; *) echo "base-image.sh: the variant must be jvm or native, not '$variant'" >&2; exit 2 ;; esac

JDK17_HOME=${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What this Quarkus REST-client command needs (java.xml is not: 4 MB less); jdk.zipfs reads the jars.
JAVA_MODULES=java.base,java.logging,java.management,java.naming,jdk.unsupported,jdk.zipfs
# busybox applets linked into /usr/local/bin: a shell and a few tools for debugging, true for the AOT
# training's target. (nsenter comes from util-linux: busybox's cannot enter a cgroup namespace.)
APPLETS="sh ls cat env sleep ps true"

recipe="$(sha256sum "$0" | cut -c1-16)-$arch-$variant"
if [ -f "$out" ] && [ "$(cat "$out.recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "base root file system $out is current ($recipe)"
  exit 0
fi

need=()
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
command -v strip >/dev/null || need+=(binutils)
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
if [ "$variant" = jvm ] && [ "$arch" = arm64 ] && [ ! -d "$JDK17_HOME/jmods" ]; then need+=(openjdk-17-jdk-headless); fi
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${need[@]}" >/dev/null
fi
if [ "$variant" = jvm ] && [ "$arch" = amd64 ] && [ ! -x "$JDK25_HOME/bin/jlink" ]; then
  echo "base-image.sh: no JDK 25 at $JDK25_HOME: install Temurin 25 (temurin-25-jdk) or set JDK25_HOME" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
# Named explicitly so that a non-Debian host (e.g. an Ubuntu CI runner) verifies Debian's archive.
debian=(--quiet --variant=extract --keyring=/usr/share/keyrings/debian-archive-keyring.gpg --architectures="$arch")
# libc-bin brings the C.UTF-8 locale: without it the JVM reads the environment and writes stdout as ASCII.
# libselinux1 and libpcre2-8-0: what util-linux's nsenter links against (it alone is taken, below).
packages=libc6,libc-bin,libgcc-s1,zlib1g,busybox-static,libselinux1,libpcre2-8-0
# Debian's libjvm is linked against libstdc++ (Temurin's carries its own).
[ "$variant" = jvm ] && [ "$arch" = arm64 ] && packages+=,libstdc++6
mmdebstrap "${debian[@]}" --include="$packages" bookworm "$rootfs" "$MIRROR" </dev/null
# Nothing here reads documentation, translations or apt's state.
rm -rf "$rootfs"/usr/share/doc "$rootfs"/usr/share/man "$rootfs"/usr/share/info "$rootfs"/usr/share/locale \
  "$rootfs"/usr/share/lintian "$rootfs"/var/lib/apt "$rootfs"/var/cache/apt "$rootfs"/usr/lib/*/gconv

if [ "$variant" = native ]; then
  # The native executable links libc and zlib only, Netty's epoll library libdl and librt, nsenter
  # libselinux and libpcre2 (ldd); glibc loads libgcc_s for a thread's unwinding and its NSS modules for
  # names. glibc's programs and its other libraries are for nobody here: 9.7 → 5.8 MB, 4.4 → 2.6 MB gzipped.
  rm -f "$rootfs"/sbin/ldconfig "$rootfs"/usr/sbin/zic "$rootfs"/usr/sbin/iconvconfig
  for program in localedef iconv locale getent getconf pldd zdump tzselect ldd; do rm -f "$rootfs/usr/bin/$program"; done
  for library in libm.so.6 libmvec.so.1 libc_malloc_debug.so.0 libthread_db.so.1 libmemusage.so libpcprofile.so \
                 libBrokenLocale.so.1 libnsl.so.1 libnss_hesiod.so.2 libnss_compat.so.2 libanl.so.1 libutil.so.1; do
    rm -f "$rootfs"/lib/*-linux-gnu/"$library"
  done
fi

if [ "$variant" = jvm ]; then
  link=(--add-modules "$JAVA_MODULES" --strip-java-debug-attributes --no-header-files --no-man-pages
        --output "$rootfs/opt/java")
  if [ "$arch" = amd64 ]; then
    "$JDK25_HOME/bin/jlink" "${link[@]}" --compress=zip-6
    # Temurin ships its libraries with symbol tables: 5 MB that nothing here reads.
    find "$rootfs/opt/java" -name '*.so' -exec strip --strip-unneeded {} +
  else
    # jlink 17 links for another architecture from that architecture's jmods (same feature release).
    jdk=$work/jdk-arm64
    mmdebstrap "${debian[@]}" --include=openjdk-17-jdk-headless bookworm "$jdk" "$MIRROR" </dev/null
    "$JDK17_HOME/bin/jlink" "${link[@]}" --compress=2 --module-path "$jdk/usr/lib/jvm/java-17-openjdk-arm64/jmods"
  fi
fi

# The CLI runtimes' host mode enters the host's cgroup namespace too (nsenter -C), which busybox's
# nsenter cannot: util-linux's, without the rest of util-linux.
utils=$work/util-linux
mmdebstrap "${debian[@]}" --include=util-linux bookworm "$utils" "$MIRROR" </dev/null
mkdir -p "$rootfs/usr/local/bin" "$rootfs/tmp" "$rootfs/root" "$rootfs/etc" "$rootfs/home/jboss"
cp "$utils/usr/bin/nsenter" "$rootfs/usr/local/bin/nsenter"
chmod 1777 "$rootfs/tmp"
for applet in $APPLETS; do ln -sf /bin/busybox "$rootfs/usr/local/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
echo 'root:x:0:' > "$rootfs/etc/group"

mkdir -p "$(dirname "$out")"
tar -C "$rootfs" --numeric-owner -cf "$out.partial" .
mv "$out.partial" "$out"
echo "$recipe" > "$out.recipe"
echo "built base root file system $out ($arch, $variant, $(du -h "$out" | cut -f1))"
