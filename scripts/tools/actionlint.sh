#!/usr/bin/env bash
# scripts/tools/actionlint.sh — install actionlint (workflow linter, runs shellcheck on run: scripts) if missing.
#
# Reads:  ACTIONLINT_VERSION (default below); Go at /usr/local/go/bin/go or on PATH; the Go module proxy;
#         Debian's shellcheck package (installed with apt-get when missing and running as root).
# Writes: ~/.cache/scorer-pipeline/tools/actionlint-<version>/actionlint (cached by version, outside the repo).
# Prints: the absolute path of the actionlint binary on stdout; progress on stderr.
# Exits:  0 with the path, non-zero when the build failed.
set -euo pipefail
version="${ACTIONLINT_VERSION:-v1.7.12}"
dir="${SCORER_TOOLS_CACHE:-$HOME/.cache/scorer-pipeline/tools}/actionlint-${version}"
bin="$dir/actionlint"
if ! command -v shellcheck >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "actionlint.sh: installing Debian's shellcheck (actionlint checks run: scripts with it)" >&2
    apt_get() { apt-get -o DPkg::Lock::Timeout=600 "$@" >&2; }   # wait for another apt-get instead of failing
    apt_get install -y -q --no-install-recommends shellcheck || { apt_get update -q && apt_get install -y -q --no-install-recommends shellcheck; } \
      || echo "actionlint.sh: could not install shellcheck; run: scripts will not be checked" >&2
  else
    echo "actionlint.sh: shellcheck is missing; install it (apt-get install shellcheck) so run: scripts are checked" >&2
  fi
fi
if [[ -x "$bin" ]] && "$bin" -version >/dev/null 2>&1; then echo "$bin"; exit 0; fi
# Go: $GO, else the one on PATH, else /usr/local/go, else scripts/tools/go.sh (installs one on a bare machine)
go="${GO:-$(command -v go || true)}"; [[ -n "$go" ]] || go=/usr/local/go/bin/go
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ ! -x "$go" && -x "$here/go.sh" ]]; then go="$("$here/go.sh")"; fi
[[ -x "$go" ]] || { echo "actionlint.sh: Go not found; install Go 1.24+ (.ci/run does) and retry" >&2; exit 1; }
echo "actionlint.sh: building rhysd/actionlint ${version}" >&2
mkdir -p "$dir"
tmp="$(mktemp -d "$dir/.gobin.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" GOFLAGS=-mod=mod CGO_ENABLED=0 nice -n 10 "$go" install \
  -ldflags "-X github.com/rhysd/actionlint.version=${version}" "github.com/rhysd/actionlint/cmd/actionlint@${version}" >&2
mv -f "$tmp/actionlint" "$bin"
"$bin" -version >&2
echo "$bin"
