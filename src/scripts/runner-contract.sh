#!/usr/bin/env bash
# The action contract on this machine's own Docker, for the two images build-image.sh made here (the JVM
# variant and the native one, this machine's architecture): the release runs it on each architecture's
# runner, and pushes nothing that did not pass there. The classes are those that need no test machine and no
# podman: Docker's API and its CLI in host mode, each image (DockerApiActionIT, DockerCliActionIT and their
# Native twins). Does its own set-up on a Debian or Ubuntu machine as root.
#   src/scripts/runner-contract.sh JVM_IMAGE NATIVE_IMAGE [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh
[ $# -ge 2 ] || { echo "usage: runner-contract.sh JVM_IMAGE NATIVE_IMAGE [Maven arguments]" >&2; exit 2; }
jvm=$1 native=$2
shift 2
if ! command -v skopeo >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 skopeo >/dev/null
fi
start_test_registries
ensure_docker
docker_cli_path
src/scripts/test-images.sh docker
./mvnw -B -ntp test-compile failsafe:integration-test failsafe:verify \
  -Dit.test=DockerApiActionIT,DockerCliActionIT,NativeDockerApiActionIT,NativeDockerCliActionIT \
  -Dwaitdaemon.it.image="$jvm" -Dwaitdaemon.it.native-image="$native" \
  -Dwaitdaemon.it.registry="127.0.0.1:$REGISTRY_PORT" -Dwaitdaemon.it.private-registry="127.0.0.1:$PRIVATE_REGISTRY_PORT" "$@"
