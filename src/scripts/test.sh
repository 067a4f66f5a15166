#!/usr/bin/env bash
# The test command: unit tests, then the engine tests (*IT) that run the Jib-built images (JVM and native)
# as a Tinkerbell action on real engines: dockerd (API and CLI) and podman (API service and CLI) of this
# machine, the HookOS-like and IPA-like test machines (Docker 28 and podman 5 from Debian sid, where a
# target really reboots the machine), containerd's own API on the CaptainOS-like machine (containerd 2.1
# from Debian sid), a virtual machine with Debian sid's kernel booted as Smee boots an OSIE (qemu's
# software emulation, where the target really kexecs and reboots the kernel), and the
# multi-platform image that publish.sh pushes to a registry on loopback (amd64 pulled back and held to
# the action contract, arm64 run under qemu's user-mode emulation).
# Does all of its own set-up on a Debian machine as root.
#   src/scripts/test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh
if ! command -v skopeo >/dev/null || [ ! -x /usr/bin/qemu-aarch64-static ] || ! command -v socat >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 skopeo qemu-user-static socat >/dev/null
fi
# Before the engines start: podman's service reads the registries' configuration as it starts.
start_test_registries
ensure_docker
ensure_podman
docker_cli_path
# The test machines (Debian sid's engines as a machine's PID 1; built once, reused while unchanged): built
# here, before the tests start them with machine.sh start.
src/scripts/machine.sh build hookos
src/scripts/machine.sh build ipa
src/scripts/machine.sh build captainos
# The tests start and stop them; one a failed run left behind goes when this script exits.
WAITDAEMON_CREATED_MACHINES+=(hookos ipa captainos)
src/scripts/build-image.sh
src/scripts/test-images.sh docker podman
published=127.0.0.1:$REGISTRY_PORT/waitdaemon:test
# The amd64 image is the one just built (its AOT cache trained once); arm64 is built by publish.sh.
src/scripts/publish.sh --amd64-from local/waitdaemon:dev "$published"
# The virtual machine's kernel and disks (built once, reused while unchanged; VirtualMachineIT boots it):
# downloads and file systems, made while the native executable links (CPU), both awaited before the tests.
vm_log=$(mktemp)
WAITDAEMON_CREATED_PATHS+=("$vm_log")
src/scripts/vm.sh build >"$vm_log" 2>&1 &
vm_build=$!
# The native variant, held to the same contract by the Native*IT classes: linked by GRAALVM_HOME's
# native-image when that is set, otherwise in Mandrel's builder container (build-image.sh).
src/scripts/build-image.sh --native
if ! wait "$vm_build"; then
  echo "the virtual machine's build failed:" >&2
  cat "$vm_log" >&2
  exit 1
fi
grep -v '^/' "$vm_log" || true
./mvnw -B -ntp verify -Dwaitdaemon.it.published="$published" -Dwaitdaemon.it.native-image=local/waitdaemon:native -Dwaitdaemon.it.registry="127.0.0.1:$REGISTRY_PORT" \
  -Dwaitdaemon.it.private-registry="127.0.0.1:$PRIVATE_REGISTRY_PORT" "$@"
