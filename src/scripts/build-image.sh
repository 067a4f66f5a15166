#!/usr/bin/env bash
# Builds the waitdaemon image for this machine's architecture into the local Docker engine, base
# included, with Jib (no Dockerfile). On amd64 the JDK's AOT cache is trained on a real first fork in
# this engine and laid over the image by Quarkus's AOT image step: the cache is valid only for the
# exact runtime and jars it was trained with, and a Quarkus rebuild changes generated jars.
# With --native, the native variant instead: the native executable on the native base (glibc, busybox,
# nsenter). Quarkus links it with the native-image of GRAALVM_HOME when that is set (any GraalVM or
# Mandrel home for this machine's architecture), otherwise in Mandrel's builder container (pulled from
# quay.io: CI's runners). The tests hold that image to the action contract too.
#
#   src/scripts/build-image.sh [NAME]              default local/waitdaemon:dev
#   src/scripts/build-image.sh --native [NAME]     default local/waitdaemon:native
#
# Leaves the base's tar file and the cache in target/image-build/ (publish.sh pushes them).
# Does all of its own set-up on a Debian machine as root (engine included).
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh
source src/scripts/images.sh
variant=jvm base=local/waitdaemon-base default=local/waitdaemon:dev
if [ "${1:-}" = --native ]; then
  variant=native base=local/waitdaemon-native-base default=local/waitdaemon:native
  shift
fi
name=${1:-$default}

ensure_docker
docker_cli_path
ensure_build_tools
arch=$(docker version --format '{{.Server.Arch}}')
base=$base:$arch
import_base docker "$(base_tar "$arch" "$variant")" "$arch" "$base"

if [ "$variant" = native ]; then
  linker=(-Dquarkus.native.container-build=true)
  [ -n "${GRAALVM_HOME:-}" ] && linker=(-Dquarkus.native.container-build=false)
  jib_build "$name" "docker://$base" -Pnative -Dquarkus.jib.base-native-image="docker://$base" "${linker[@]}"
  echo "built $name ($arch, native, linked $([ -n "${GRAALVM_HOME:-}" ] && echo "by $GRAALVM_HOME" || echo "in Mandrel's builder container"))"
  exit 0
fi
if [ "$arch" = amd64 ]; then
  jib_build "$name" "docker://$base" -Dquarkus.jib.jvm-entrypoint="$AOT_ENTRYPOINT"
  add_aot_cache "$name" "$(train_aot_cache "$name" "$base")"
  check_aot_cache docker "$name"
  echo "built $name ($arch, with an AOT cache)"
else
  jib_build "$name" "docker://$base"
  # See base-image.sh for the runtime each architecture gets.
  echo "built $name ($arch)"
fi
