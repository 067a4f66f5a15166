#!/usr/bin/env bash
# Builds the JVM image for linux/amd64 and linux/arm64 with Jib and pushes them to REF's registry as one
# multi-platform image (a Docker manifest list), also under each extra TAG of REF's repository.
#
#   src/scripts/publish.sh REF [TAG ...]        REF: registry/repository:tag, e.g. ghcr.io/acme/waitdaemon:0.2.0
#   src/scripts/publish.sh --amd64-from LOCAL REF [TAG ...]
#                                               the same, with the amd64 image build-image.sh already made
#                                               here (LOCAL, AOT cache included) pushed as it is
#   src/scripts/publish.sh --list REF IMAGE...  only joins IMAGEs already pushed (each of one platform) into
#                                               the multi-platform REF; prints its digest (the release's way,
#                                               each architecture built and tested on its own runner)
#
# What it pushes, all to REF's registry:
#   <repository>-base:<tag>-amd64, -arm64   the bases (base-image.sh), pushed first: Jib takes a base
#                                           for another architecture only from a registry
#   <repository>:<tag>-amd64                build-image.sh's image: Jib, then the AOT cache trained on
#                                           this machine's engine (amd64 only)
#   <repository>:<tag>-arm64                Jib onto the arm64 base
#   <repository>:<tag> and :TAG ...         the manifest list of the two
# Each architecture is its own Jib build: the AOT cache belongs to one architecture's runtime and to
# the exact jars it was trained on, which one Jib build for both platforms cannot carry.
# A registry on loopback (127.0.0.0/8, localhost, [::1]) is spoken to over plain HTTP, as Docker does;
# any other over HTTPS. Credentials come from `docker login` (Docker's config.json), never from here.
# Does all of its own set-up on a Debian machine as root (engine included).
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/scripts/engine.sh
source src/scripts/images.sh

if [ "${1:-}" = --list ]; then
  [ $# -ge 3 ] || { echo "usage: publish.sh --list registry/repository:tag IMAGE..." >&2; exit 2; }
  split_reference "$2" || exit 2
  list=$2
  shift 2
  push_image_list "$list" "$ref_insecure" "$@" | tail -n 1
  exit 0
fi
amd64_from=
if [ "${1:-}" = --amd64-from ]; then
  [ $# -ge 3 ] || { echo "usage: publish.sh --amd64-from LOCAL_IMAGE registry/repository:tag [TAG ...]" >&2; exit 2; }
  amd64_from=$2
  shift 2
fi
[ $# -ge 1 ] || { echo "usage: publish.sh registry/repository:tag [TAG ...]" >&2; exit 2; }
split_reference "$1" || exit 2
shift
for extra in "$@"; do
  [[ "$extra" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || { echo "publish.sh: '$extra' is not a tag" >&2; exit 2; }
done
repository=$ref_repository
tag=$ref_tag
insecure=$ref_insecure
tls_verify=$([ "$insecure" = true ] && echo false || echo true)

ensure_docker
docker_cli_path
ensure_build_tools
ensure_podman_cli

# amd64: the local build, AOT cache included, pushed as it is.
if [ -n "$amd64_from" ]; then
  docker image inspect "$amd64_from" >/dev/null 2>&1 || { echo "publish.sh: no image $amd64_from here: build it with build-image.sh" >&2; exit 2; }
  docker tag "$amd64_from" "$repository:$tag-amd64"
else
  src/scripts/build-image.sh "$repository:$tag-amd64"
fi
import_base podman "$WAITDAEMON_BUILD/amd64-jvm.tar" amd64 "$repository-base:$tag-amd64"
podman push -q --tls-verify="$tls_verify" "$repository-base:$tag-amd64"
docker push -q "$repository:$tag-amd64" >/dev/null
echo "pushed $repository:$tag-amd64"

# arm64: Jib onto the arm64 base, which it reads from the registry.
import_base podman "$(base_tar arm64 jvm)" arm64 "$repository-base:$tag-arm64"
podman push -q --tls-verify="$tls_verify" "$repository-base:$tag-arm64"
jib_build "$repository:$tag-arm64" "$repository-base:$tag-arm64" -Dquarkus.jib.platforms=linux/arm64 \
  -Dquarkus.container-image.push=true -Dquarkus.container-image.insecure="$insecure"
echo "pushed $repository:$tag-arm64"

for list_tag in "$tag" "$@"; do
  digest=$(push_image_list "$repository:$list_tag" "$insecure" "$repository:$tag-amd64" "$repository:$tag-arm64")
  echo "pushed $repository:$list_tag ($digest): linux/amd64, linux/arm64"
done
