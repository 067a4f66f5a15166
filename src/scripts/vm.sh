#!/usr/bin/env bash
# A virtual machine with a real kernel, booted as Smee boots an OSIE, for what only a real kernel can show:
# kexec and reboot after the action's reported success. qemu's system emulation with software acceleration
# (KVM aborts at start here), Debian sid's kernel, a root made by mmdebstrap with Docker (HookOS-like) on a
# virtio disk, a tiny initramfs that mounts it, and the serial console to a file. qemu runs in a network
# namespace with only loopback: the guest's 10.0.2.2 is that namespace's loopback, and nothing else.
#
#   src/scripts/vm.sh build        kernel, initramfs, root disk, and the second kernel's marker initramfs under
#                                  target/vm/ (rebuilt only when this script or the marker's init changes);
#                                  prints the folder
#   src/scripts/vm.sh xfer FOLDER DISK
#                                  makes DISK, an ext4 image of FOLDER: the guest mounts it read-only on /xfer,
#                                  runs its executable "case" once Docker answers, and starts Docker with its
#                                  daemon.json when there is one
#   src/scripts/vm.sh boot CMDLINE XFER SERIAL [SMEE_PORT SMEE_LOG]
#                                  boots them: CMDLINE is appended to the kernel's, XFER a disk made by xfer,
#                                  SERIAL the console's file; with SMEE_PORT a UDP listener on the namespace's
#                                  loopback writes what it gets to SMEE_LOG. Returns when qemu exits
#                                  (-no-reboot: a reboot ends it too). Killing this process ends qemu and the
#                                  listener with it, and so the namespace.
# Never run kexec, reboot or sysrq outside this VM: they are not confined by namespaces.
set -euo pipefail
cd "$(dirname "$0")/../.."
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
folder=target/vm
marker_init=src/test/resources/vm/second-kernel-init.sh
stamp=$(cat src/scripts/vm.sh "$marker_init" | sha256sum | cut -c1-16)

install_tools() {
  local missing=()
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v mke2fs >/dev/null || missing+=(e2fsprogs)
  command -v cpio >/dev/null || missing+=(cpio)
  command -v socat >/dev/null || missing+=(socat)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get -o DPkg::Lock::Timeout=120 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

build() {
  if [ -f "$folder/built-$stamp" ]; then
    echo "$folder"
    return
  fi
  install_tools
  rm -rf "$folder"
  mkdir -p "$folder"
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  local started
  started=$(date +%s)
  # The guest's init: what HookOS's does for an action, in a few lines. Busybox is PID 1.
  cat > "$work/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox mkdir -p /dev/pts /dev/shm /run /tmp /sys/fs/cgroup
/bin/busybox mount -t devpts devpts /dev/pts
/bin/busybox mount -t tmpfs tmpfs /run
/bin/busybox mount -t tmpfs tmpfs /tmp
/bin/busybox mount -t cgroup2 cgroup2 /sys/fs/cgroup
/bin/busybox hostname osie
for module in virtio_net overlay br_netfilter; do /sbin/modprobe "$module" 2>/dev/null; done
/bin/busybox ip link set lo up
/bin/busybox ip link set eth0 up
/bin/busybox ip addr add 10.0.2.15/24 dev eth0
/bin/busybox ip route add default via 10.0.2.2
echo "vm: init done" > /dev/ttyS0
/bin/busybox mkdir -p /xfer
/bin/busybox mount -o ro /dev/vdb /xfer 2>/dev/null
config=/etc/docker/daemon.json
[ -f /xfer/daemon.json ] && config=/xfer/daemon.json
/bin/busybox mkdir -p /etc/docker
[ -f $config ] || echo '{}' > $config
dockerd --config-file $config --host unix:///var/run/docker.sock > /run/dockerd.log 2>&1 &
until docker version >/dev/null 2>&1; do sleep 0.2; done
echo "vm: docker answers" > /dev/ttyS0
[ -x /xfer/case ] && /xfer/case > /dev/ttyS0 2>&1
echo "vm: case over" > /dev/ttyS0
/bin/busybox poweroff -f
INIT
  mmdebstrap --quiet --variant=essential --aptopt='Acquire::Check-Valid-Until "false"' \
    --include=linux-image-amd64,docker.io,docker-cli,containerd,runc,iptables,busybox-static,kexec-tools,kmod,mount,procps,iproute2,systemd-standalone-sysusers,ca-certificates \
    --customize-hook="upload $work/init /sbin/init" --customize-hook='chmod 755 "$1/sbin/init"' \
    --customize-hook='rm -rf "$1"/usr/share/doc "$1"/usr/share/man "$1"/usr/share/locale "$1"/var/cache/apt/archives/*.deb' \
    sid "$work/root" "$MIRROR" </dev/null
  local version
  version=$(ls "$work/root/lib/modules" | head -n 1)
  cp "$work/root/boot/vmlinuz-$version" "$folder/vmlinuz"
  chroot "$work/root" depmod "$version"
  # The tiny initramfs: busybox, and the modules that reach the root disk, decompressed for busybox's insmod.
  local initramfs=$work/initramfs
  mkdir -p "$initramfs/bin" "$initramfs/modules" "$initramfs/newroot" "$initramfs/proc" "$initramfs/dev" "$initramfs/sys"
  cp /bin/busybox "$initramfs/bin/busybox"
  local order=()
  for module in crc16 mbcache jbd2 crc32c_generic libcrc32c crc32c-intel ext4 virtio virtio_ring virtio_pci_legacy_dev \
    virtio_pci_modern_dev virtio_pci virtio_blk; do
    local path
    path=$(find "$work/root/lib/modules/$version" -name "$module.ko*" | head -n 1)
    [ -n "$path" ] || continue
    case "$path" in
      *.xz) xz -dc "$path" > "$initramfs/modules/$module.ko" ;;
      *.zst) zstd -dqc "$path" > "$initramfs/modules/$module.ko" ;;
      *) cp "$path" "$initramfs/modules/$module.ko" ;;
    esac
    order+=("$module")
  done
  {
    echo '#!/bin/busybox sh'
    echo '/bin/busybox mount -t proc proc /proc'
    echo '/bin/busybox mount -t devtmpfs dev /dev'
    for module in "${order[@]}"; do echo "/bin/busybox insmod /modules/$module.ko 2>/dev/null"; done
    echo 'while [ ! -b /dev/vda ]; do /bin/busybox sleep 0.1; done'
    echo '/bin/busybox mount -t ext4 /dev/vda /newroot'
    echo '/bin/busybox umount /dev /proc'
    echo 'exec /bin/busybox switch_root /newroot /sbin/init'
  } > "$initramfs/init"
  chmod 755 "$initramfs/init"
  (cd "$initramfs" && find . | cpio --quiet -o -H newc) > "$folder/initrd.cpio"
  # The second kernel's initramfs (a kexec lands there): busybox and an init that prints a marker.
  local marker=$work/marker
  mkdir -p "$marker/bin" "$marker/proc" "$marker/dev"
  cp /bin/busybox "$marker/bin/busybox"
  install -m 755 "$marker_init" "$marker/init"
  (cd "$marker" && find . | cpio --quiet -o -H newc) > "$folder/marker.cpio"
  rm -rf "$work/root/boot"
  mke2fs -q -t ext4 -d "$work/root" "$folder/root.ext4" 3G >&2
  touch "$folder/built-$stamp"
  echo "built the VM's kernel $version, initramfs and root in $(( $(date +%s) - started )) s" >&2
  echo "$folder"
}

xfer() {
  local from=$1 disk=$2
  command -v mke2fs >/dev/null || install_tools
  rm -f "$disk"
  mke2fs -q -t ext4 -d "$from" "$disk" "$(( $(du -sm "$from" | cut -f1) + 64 ))M"
}

boot() {
  local cmdline=$1 xfer=$2 serial=$3 port=${4:-} smee=${5:-}
  build >/dev/null
  # qemu in a network namespace of its own with only loopback: the guest reaches nothing else.
  # panic=1 oops=panic: a guest kernel that fails restarts, which -no-reboot turns into qemu's end, so a test
  # fails at once instead of waiting out its limit.
  # setpriv's death signal: qemu and the listener end when their shell does, and unshare's --kill-child
  # ends that shell when unshare ends. Killing this process ends them all.
  exec unshare --net --fork --kill-child bash -c '
    set -euo pipefail
    ip link set lo up
    listener=""
    if [ -n "$4" ]; then
      setpriv --pdeathsig KILL socat -u "UDP-RECV:$4,bind=127.0.0.1" "OPEN:$5,creat,append" & listener=$!
    fi
    trap "[ -z \"\$listener\" ] || kill \$listener 2>/dev/null || true" EXIT
    setpriv --pdeathsig KILL qemu-system-x86_64 -accel tcg,thread=multi -M pc -cpu max -smp 2 -m 1536 -nodefaults -display none -no-reboot \
      -kernel "$0/vmlinuz" -initrd "$0/initrd.cpio" -append "console=ttyS0 root=/dev/vda rw panic=1 oops=panic $1" \
      -drive file="$0/root.ext4",if=virtio,format=raw,snapshot=on -drive file="$2",if=virtio,format=raw,readonly=on \
      -nic user,model=virtio-net-pci -serial file:"$3"
  ' "$folder" "$cmdline" "$xfer" "$serial" "$port" "$smee"
}

case "${1:-}" in
  build) build ;;
  xfer) shift; xfer "$@" ;;
  boot) shift; boot "$@" ;;
  *) echo "usage: src/scripts/vm.sh build | xfer FOLDER DISK | boot CMDLINE XFER SERIAL [SMEE_PORT SMEE_LOG]" >&2; exit 2 ;;
esac
