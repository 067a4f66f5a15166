#!/usr/bin/env bash
# The native variant, for this machine's architecture: the native executable, built by Quarkus in
# Mandrel's builder container, on a base of glibc and busybox (base-image.sh ... native), pushed by
# Jib as REF-<arch>. With --list, instead joins the REF-amd64 and REF-arm64 already pushed into one
# multi-platform image REF.
#
#   src/scripts/publish-native.sh REF            e.g. ghcr.io/acme/waitdaemon:0.2.0-native
#   src/scripts/publish-native.sh --list REF
#
# Run by the release workflow on an amd64 and an arm64 runner: native-image cannot link here, and
# it builds for the architecture it runs on. Credentials come from `docker login`.
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh
source src/scripts/images.sh

list=false
[ "${1:-}" = --list ] && { list=true; shift; }
[ $# -eq 1 ] || { echo "usage: publish-native.sh [--list] registry/repository:tag" >&2; exit 2; }
split_reference "$1" || exit 2
insecure=false
registry_is_loopback "$ref_registry" && insecure=true
ensure_docker
docker_cli_path

if [ "$list" = true ]; then
  digest=$(push_image_list "$1" "$insecure" "$1-amd64" "$1-arm64")
  echo "pushed $1 ($digest): linux/amd64, linux/arm64"
  exit 0
fi

ensure_build_tools
ensure_podman_cli
arch=$(docker version --format '{{.Server.Arch}}')
base=$ref_repository-base:$ref_tag-$arch
import_base podman "$(base_tar "$arch" native)" "$arch" "$base"
podman push -q --tls-verify="$([ "$insecure" = true ] && echo false || echo true)" "$base"
./mvnw -B -ntp package -Pnative -DskipTests -Dquarkus.container-image.build=true \
  -Dquarkus.container-image.push=true -Dquarkus.container-image.insecure="$insecure" \
  -Dquarkus.container-image.image="$1-$arch" -Dquarkus.jib.base-native-image="$base"
echo "pushed $1-$arch"
