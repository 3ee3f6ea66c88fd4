#!/usr/bin/env bash
# scripts/tools/act.sh — install nektos/act (the workflow engine the act tests run) if missing.
#
# Reads:  ACT_VERSION (default below); Go at /usr/local/go/bin/go or on PATH; the Go module proxy.
# Writes: ~/.cache/scorer-pipeline/tools/act-<version>/act (cached by version, outside the repo).
# Prints: the absolute path of the act binary on stdout; progress on stderr.
# Exits:  0 with the path, non-zero when the build failed.
set -euo pipefail
version="${ACT_VERSION:-v0.2.89}"
dir="${SCORER_TOOLS_CACHE:-$HOME/.cache/scorer-pipeline/tools}/act-${version}"
bin="$dir/act"
if [[ -x "$bin" ]] && "$bin" --version >/dev/null 2>&1; then echo "$bin"; exit 0; fi
# Go: $GO, else the one on PATH, else /usr/local/go, else scripts/tools/go.sh (installs one on a bare machine)
go="${GO:-$(command -v go || true)}"; [[ -n "$go" ]] || go=/usr/local/go/bin/go
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ ! -x "$go" && -x "$here/go.sh" ]]; then go="$("$here/go.sh")"; fi
[[ -x "$go" ]] || { echo "act.sh: Go not found; install Go 1.24+ (.ci/run does) and retry" >&2; exit 1; }
echo "act.sh: building nektos/act ${version} with $("$go" version) (a few minutes cold)" >&2
mkdir -p "$dir"
tmp="$(mktemp -d "$dir/.gobin.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" GOFLAGS=-mod=mod CGO_ENABLED=0 nice -n 10 "$go" install "github.com/nektos/act@${version}" >&2
mv -f "$tmp/act" "$bin"   # rename within one folder: the cache never holds a half-written binary
"$bin" --version >&2
echo "$bin"
