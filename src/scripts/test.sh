#!/usr/bin/env bash
# The test command: unit tests, then the engine tests (*IT) that run the Jib-built image as a
# Tinkerbell action on real engines: dockerd (API and CLI) and podman (API service and CLI).
# Does all of its own set-up on a Debian machine as root.
#   src/scripts/test.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh

if ! command -v javac >/dev/null || [ ! -d /usr/lib/jvm/java-17-openjdk-amd64/jmods ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless unzip curl >/dev/null
fi
ensure_docker
ensure_podman
docker_cli_path
src/scripts/base-image.sh docker
src/scripts/test-images.sh docker podman
./mvnw -B -ntp verify -Dquarkus.container-image.build=true "$@"
