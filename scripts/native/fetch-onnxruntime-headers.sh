#!/usr/bin/env bash
# Fetches the ONNX Runtime C/C++ API headers from Debian trixie's
# libonnxruntime-dev into .cache/onnxruntime/include.
#
# Why: onnxruntime-node ships the shared library but no headers, and bookworm
# has no onnxruntime package. The ORT C API is versioned (OrtGetApiBase()->
# GetApi(ORT_API_VERSION)), so headers from an older release work against the
# newer library in node_modules.
#
# Only a private apt configuration under .cache/ort-apt is used (APT_CONFIG,
# private lists/cache/status, no /etc/apt/apt.conf.d hooks): the system's apt
# state is never read for packages nor written. The mirror URI is taken from the
# system's own sources so the script works behind whatever mirror the host uses.
#
# Set ONNXRUNTIME_ROOT to an official release (include/ + lib/) to skip this.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${SPEAKAI_CACHE_DIR:-$ROOT/.cache}"
DEST="$CACHE/onnxruntime"
APTDIR="$CACHE/ort-apt"
SUITE="${ORT_DEBIAN_SUITE:-trixie}"

if [[ -n "${ONNXRUNTIME_ROOT:-}" ]]; then
  echo "ONNXRUNTIME_ROOT=$ONNXRUNTIME_ROOT is set; nothing to fetch"
  exit 0
fi
if [[ -f "$DEST/include/onnxruntime_c_api.h" ]]; then
  echo "ONNX Runtime headers already in $DEST/include"
  exit 0
fi

# First "deb" URI of the system's main archive (not -security), from deb822
# .sources files or the one-line sources.list format.
mirror_uri() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    uri="$(awk '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; types = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)   { uris = $i;   sub(/^URIs:[ \t]*/, "", uris) }
          if ($i ~ /^Suites:/) { suites = $i; sub(/^Suites:[ \t]*/, "", suites) }
          if ($i ~ /^Types:/)  { types = $i }
        }
        if (types ~ /deb([ \t]|$)/ && suites !~ /-security/ && uris != "") {
          split(uris, u, /[ \t]+/); print u[1]; exit
        }
      }' "$f")"
    [[ -n "$uri" ]] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    uri="$(awk '$1 == "deb" && $0 !~ /-security/ {
        for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $i ~ /:\/\//) { print $i; exit }
      }' "$f")"
    [[ -n "$uri" ]] && { echo "$uri"; return; }
  done
  return 1
}

MIRROR="$(mirror_uri)" || { echo "error: no deb mirror found in /etc/apt sources" >&2; exit 1; }
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f "$KEYRING" ]] || { echo "error: $KEYRING missing (install debian-archive-keyring)" >&2; exit 1; }

mkdir -p "$APTDIR"/{etc/apt.conf.d,etc/preferences.d,lists/partial,cache/archives/partial,debs}
: > "$APTDIR/status"
cat > "$APTDIR/etc/speakai.sources" <<SRC
Types: deb
URIs: $MIRROR
Suites: $SUITE
Components: main
Signed-By: $KEYRING
SRC

# Keep the host's settings that decide whether the mirror can be reached
# (proxies, snapshot mirrors with expired Valid-Until), nothing else.
HOST_ACQUIRE="$(apt-config dump 2>/dev/null | grep -E '^Acquire::(https?::Proxy|Check-Valid-Until|Check-Date) ' || true)"

cat > "$APTDIR/apt.conf" <<CONF
Dir::Etc::main "/dev/null";
Dir::Etc::Parts "$APTDIR/etc/apt.conf.d";
Dir::Etc::SourceList "$APTDIR/etc/speakai.sources";
Dir::Etc::SourceParts "$APTDIR/etc/empty.d";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$APTDIR/etc/preferences.d";
Dir::State "$APTDIR";
Dir::State::Lists "$APTDIR/lists";
Dir::State::status "$APTDIR/status";
Dir::Cache "$APTDIR/cache";
Debug::NoLocking "true";
APT::Sandbox::User "$(id -un)";
Acquire::Languages "none";
$HOST_ACQUIRE
CONF
mkdir -p "$APTDIR/etc/empty.d"

export APT_CONFIG="$APTDIR/apt.conf"
echo "Fetching libonnxruntime-dev from $MIRROR $SUITE (private apt config: $APT_CONFIG)"
apt-get -q update
rm -f "$APTDIR"/debs/*.deb
(cd "$APTDIR/debs" && apt-get -q download libonnxruntime-dev)

DEB="$(ls "$APTDIR"/debs/libonnxruntime-dev_*.deb)"
EXTRACT="$APTDIR/extract"
rm -rf "$EXTRACT"
dpkg-deb -x "$DEB" "$EXTRACT"
HDR="$(dirname "$(find "$EXTRACT" -name onnxruntime_c_api.h | head -n1)")"
[[ -f "$HDR/onnxruntime_c_api.h" ]] || { echo "error: no onnxruntime_c_api.h in $DEB" >&2; exit 1; }

rm -rf "$DEST/include.tmp"
mkdir -p "$DEST"
cp -r "$HDR" "$DEST/include.tmp"
mv "$DEST/include.tmp" "$DEST/include"
basename "$DEB" > "$DEST/SOURCE"
rm -rf "$APTDIR/lists" "$EXTRACT"  # ~10 MB of indexes, useless once the headers are in place
echo "ONNX Runtime headers installed in $DEST/include (from $(cat "$DEST/SOURCE"))"
