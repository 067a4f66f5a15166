#!/usr/bin/env bash
# The image tags a release tag publishes for one variant. The native image is the one operators pull: its
# version and latest. The JVM image: the same, each with -jvm. A pre-release (a hyphen in the version, as in
# v1.2.0-rc.1) gets its version only: it must never move either latest. Used by release.yml.
#   src/scripts/release-tags.sh v1.2.3              prints: 1.2.3 latest
#   src/scripts/release-tags.sh v1.2.3 jvm          prints: 1.2.3-jvm latest-jvm
#   src/scripts/release-tags.sh v1.2.0-rc.1 jvm     prints: 1.2.0-rc.1-jvm
set -euo pipefail
tag=${1:-}
variant=${2:-native}
if [[ ! "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "release-tags.sh: '$tag' is not a version tag: use vMAJOR.MINOR.PATCH, e.g. v1.2.3 or v1.2.0-rc.1" >&2
  exit 2
fi
case "$variant" in
  native) suffix= ;;
  jvm) suffix=-jvm ;;
  *) echo "release-tags.sh: the variant must be native or jvm, not '$variant'" >&2; exit 2 ;;
esac
version=${tag#v}
case "$version" in
  *-*) echo "$version$suffix" ;;
  *) echo "$version$suffix latest$suffix" ;;
esac
