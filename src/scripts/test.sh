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
# The tests' registries, an open one and one that wants a login; any free loopback ports will do.
REGISTRY_PORT=${WAITDAEMON_TEST_REGISTRY_PORT:-5055}
PRIVATE_REGISTRY_PORT=${WAITDAEMON_TEST_PRIVATE_REGISTRY_PORT:-5056}
# A fresh password each run, handed to the tests in the environment, never as an argument.
export WAITDAEMON_REGISTRY_USER=waitdaemon
# With what generated passwords can hold and config expressions would mangle: $$, ${…} and a trailing ${.
WAITDAEMON_REGISTRY_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"'-$$x-${HOME}-${'
export WAITDAEMON_REGISTRY_PASSWORD

if ! command -v skopeo >/dev/null || [ ! -x /usr/bin/qemu-aarch64-static ] || ! command -v socat >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 skopeo qemu-user-static socat >/dev/null
fi
# Test set-up only, never the product's: podman speaks plain HTTP to the tests' loopback registries.
# Removed when this script exits, as is everything else it wrote on the machine (engine.sh).
rm -f /etc/containers/registries.conf.d/waitdaemon-tests.conf
write_for_this_run /etc/containers/registries.conf.d/waitdaemon-tests.conf <<CONF
[[registry]]
location = "127.0.0.1:$REGISTRY_PORT"
insecure = true

[[registry]]
location = "127.0.0.1:$PRIVATE_REGISTRY_PORT"
insecure = true
CONF
ensure_docker
ensure_podman
docker_cli_path
ensure_registry "$REGISTRY_PORT"
ensure_registry "$PRIVATE_REGISTRY_PORT" "$WAITDAEMON_REGISTRY_USER"
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
