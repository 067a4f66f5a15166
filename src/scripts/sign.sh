#!/usr/bin/env bash
# Signs a pushed image and attaches its SBOM, or verifies both as an operator would, with cosign.
#
#   src/scripts/sign.sh sign IMAGE@DIGEST SBOM [--key KEY]
#       a signature of the digest, and the SBOM (CycloneDX JSON) as a signed attestation of it. Without
#       --key: keyless, with the identity of the workflow that runs it (Fulcio, and Rekor's log). With
#       --key (a cosign key pair's private key, its password in COSIGN_PASSWORD): that key, no log.
#   src/scripts/sign.sh verify IMAGE@DIGEST (--key PUB | --identity IDENTITY --issuer ISSUER)
#       both checked: the signature and the CycloneDX attestation; prints the verified attestation.
#   src/scripts/sign.sh key-pair FOLDER
#       a cosign key pair, FOLDER/cosign.key (encrypted with COSIGN_PASSWORD) and FOLDER/cosign.pub.
#
# cosign is Debian's (sid), fetched once into target/tools with each step checked against Debian's
# signed index, unless one is on PATH already.
set -euo pipefail
cd "$(dirname "$0")/../.."

MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
TOOLS=target/tools

usage() {
  echo "usage: sign.sh sign IMAGE@DIGEST SBOM [--key KEY] | verify IMAGE@DIGEST (--key PUB | --identity ID --issuer URL)" \
    "| key-pair FOLDER" >&2
  exit 2
}

# ensure_cosign: sets COSIGN to a cosign executable.
ensure_cosign() {
  if command -v cosign >/dev/null; then
    COSIGN=$(command -v cosign)
    return
  fi
  COSIGN=$PWD/$TOOLS/cosign/usr/bin/cosign
  [ -x "$COSIGN" ] && return
  local arch work index packages filename sha
  arch=$(dpkg --print-architecture 2>/dev/null || uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  curl -sfo "$work/InRelease" "$MIRROR/dists/sid/InRelease"
  # sid's Release may be past its Valid-Until: only its signature is checked here, as apt would with
  # Check-Valid-Until off.
  gpgv --quiet --keyring /usr/share/keyrings/debian-archive-keyring.gpg --output "$work/Release" "$work/InRelease" 2>/dev/null
  index="main/binary-$arch/Packages.xz"
  sha=$(awk -v file="$index" '/^SHA256:/ {in_sha = 1; next} /^[^ ]/ {in_sha = 0} in_sha && $3 == file {print $1}' "$work/Release")
  [ -n "$sha" ] || { echo "sign.sh: Debian sid's Release names no $index" >&2; return 1; }
  curl -sfo "$work/Packages.xz" "$MIRROR/dists/sid/$index"
  echo "$sha  $work/Packages.xz" | sha256sum --quiet -c -
  xz -dc "$work/Packages.xz" > "$work/Packages"
  packages=$(awk '/^Package: cosign$/ {found = 1} found && /^$/ {exit} found' "$work/Packages")
  filename=$(awk '/^Filename:/ {print $2}' <<<"$packages")
  sha=$(awk '/^SHA256:/ {print $2}' <<<"$packages")
  [ -n "$filename" ] && [ -n "$sha" ] || { echo "sign.sh: Debian sid has no cosign for $arch" >&2; return 1; }
  curl -sfo "$work/cosign.deb" "$MIRROR/$filename"
  echo "$sha  $work/cosign.deb" | sha256sum --quiet -c -
  mkdir -p "$TOOLS"
  rm -rf "$TOOLS/cosign"
  dpkg-deb -x "$work/cosign.deb" "$TOOLS/cosign"
  echo "cosign from Debian sid ($filename)" >&2
}

# cosign_quietly ARGS...: cosign, without its notice that --tlog-upload is deprecated (a key of one's own
# and no log is still the way to sign with a key alone); its exit status kept.
cosign_quietly() {
  local log status=0
  log=$(mktemp)
  "$COSIGN" "$@" 2>"$log" || status=$?
  grep -v '^Flag --tlog-upload has been deprecated' "$log" >&2 || true
  rm -f "$log"
  return "$status"
}

if [ "${1:-}" = key-pair ]; then
  [ $# -eq 2 ] || usage
  [ -n "${COSIGN_PASSWORD:-}" ] || { echo "sign.sh: set COSIGN_PASSWORD, the key's password" >&2; exit 2; }
  ensure_cosign
  (cd "$2" && "$COSIGN" generate-key-pair >/dev/null 2>&1)
  echo "key pair in $2: cosign.key, cosign.pub" >&2
  exit 0
fi
[ $# -ge 2 ] || usage
action=$1 image=$2
shift 2
[[ "$image" == *@sha256:* ]] || { echo "sign.sh: '$image' names no digest: sign and verify IMAGE@sha256:…, never a tag" >&2; exit 2; }
ensure_cosign

case "$action" in
  sign)
    [ $# -ge 1 ] || usage
    sbom=$1
    shift
    [ -s "$sbom" ] || { echo "sign.sh: no SBOM at $sbom: the build makes target/waitdaemon-sbom.json" >&2; exit 2; }
    how=()
    if [ $# -gt 0 ]; then
      [ "$1" = --key ] && [ $# -eq 2 ] || usage
      # A key of one's own: no transparency log (there is none to reach from a test).
      how=(--key "$2" --use-signing-config=false --tlog-upload=false)
    fi
    cosign_quietly sign --yes "${how[@]}" "$image"
    cosign_quietly attest --yes "${how[@]}" --type cyclonedx --predicate "$sbom" "$image"
    echo "signed $image, with its SBOM attested" >&2
    ;;
  verify)
    case "${1:-}" in
      --key) [ $# -eq 2 ] || usage; how=(--key "$2" --insecure-ignore-tlog=true) ;;
      --identity) [ $# -eq 4 ] && [ "$3" = --issuer ] || usage
        how=(--certificate-identity "$2" --certificate-oidc-issuer "$4") ;;
      *) usage ;;
    esac
    "$COSIGN" verify "${how[@]}" "$image" >/dev/null
    "$COSIGN" verify-attestation "${how[@]}" --type cyclonedx "$image"
    ;;
  *) usage ;;
esac
