#!/usr/bin/env bash
# The image tags a release tag publishes: its version, and latest unless it is a pre-release (a hyphen
# in the version, as in v1.2.0-rc.1), which must never move latest. Used by release.yml.
#   src/scripts/release-tags.sh v1.2.3         prints: 1.2.3 latest
#   src/scripts/release-tags.sh v1.2.0-rc.1    prints: 1.2.0-rc.1
set -euo pipefail
tag=${1:-}
if [[ ! "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "release-tags.sh: '$tag' is not a version tag: use vMAJOR.MINOR.PATCH, e.g. v1.2.3 or v1.2.0-rc.1" >&2
  exit 2
fi
version=${tag#v}
case "$version" in
  *-*) echo "$version" ;;
  *) echo "$version latest" ;;
esac
