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
# The virtual machine's kernel and disks (built once, reused while unchanged); VirtualMachineIT boots it.
src/scripts/vm.sh build >/dev/null
# The tests start and stop them; one a failed run left behind goes when this script exits.
WAITDAEMON_CREATED_MACHINES+=(hookos ipa captainos)
src/scripts/build-image.sh
src/scripts/test-images.sh docker podman
published=127.0.0.1:$REGISTRY_PORT/waitdaemon:test
src/scripts/publish.sh "$published"
# The native variant, held to the same contract by the Native*IT classes: linked by GRAALVM_HOME's
# native-image when that is set, otherwise in Mandrel's builder container (build-image.sh).
src/scripts/build-image.sh --native
./mvnw -B -ntp verify -Dwaitdaemon.it.published="$published" -Dwaitdaemon.it.native-image=local/waitdaemon:native -Dwaitdaemon.it.registry="127.0.0.1:$REGISTRY_PORT" \
  -Dwaitdaemon.it.private-registry="127.0.0.1:$PRIVATE_REGISTRY_PORT" "$@"
