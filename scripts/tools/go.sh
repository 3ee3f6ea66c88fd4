#!/usr/bin/env bash
# scripts/tools/go.sh — a Go toolchain recent enough to build the real peers (Pulumi CLI, act,
# actionlint) from the Go module proxy, also on a bare Debian 12 whose golang is 1.19.
#
# Reads:  GO_VERSION (default below: the release to fetch when none is recent enough), GO_MIN
#         (default 1.26: what the tool builds need), go on PATH or /usr/local/go/bin/go,
#         SCORER_TOOLS_CACHE (default ~/.cache/scorer-pipeline/tools).
# Writes: <cache>/go-<version>/ (a complete Go distribution) when it has to fetch one; Debian's
#         golang-go as root or through sudo, only to download that distribution.
# Prints: the absolute path of a go binary >= GO_MIN on stdout; progress on stderr.
# Exits:  0 with the path; 3 when no Go can be had (message says why).
#
# How: Go's own toolchain switching (GOTOOLCHAIN) fetches Go releases as the module
# golang.org/toolchain@v0.0.1-go<version>.<os>-<arch> from the Go module proxy; any go can download
# that module with `go mod download`, so Debian's go 1.19 serves as the bootstrap. No download site.
set -euo pipefail
version="${GO_VERSION:-1.26.8}"
min="${GO_MIN:-1.26}"
cache="${SCORER_TOOLS_CACHE:-$HOME/.cache/scorer-pipeline/tools}/go-$version"
say() { printf 'go.sh: %s\n' "$*" >&2; }

# "go1.26.8" → 1026008, comparable as a number
number() { local v="${1#go}" a b c; IFS=. read -r a b c <<<"$v"; echo $(( ${a:-0} * 1000000 + ${b:-0} * 1000 + ${c:-0} )); }
recent() { local v; v="$("$1" env GOVERSION 2>/dev/null)" || return 1; (( $(number "$v") >= $(number "$min") )); }

for candidate in "$(command -v go || true)" /usr/local/go/bin/go "$cache/bin/go"; do
  if [[ -n "$candidate" && -x "$candidate" ]] && GOTOOLCHAIN=local recent "$candidate"; then
    echo "$candidate"; exit 0
  fi
done

case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) say "no Go release for $(uname -m)"; exit 3 ;; esac
module="golang.org/toolchain@v0.0.1-go$version.linux-$arch"

bootstrap="$(command -v go || true)"
[[ -x "$bootstrap" ]] || bootstrap=/usr/lib/go/bin/go
if [[ ! -x "$bootstrap" ]]; then
  say "installing Debian's golang-go (only to download Go $version)"
  if (( EUID == 0 )); then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    say "need Debian's golang-go to bootstrap: run as root, or apt-get install golang-go"; exit 3; fi
  "${sudo[@]}" apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go ca-certificates >/dev/null
  bootstrap=/usr/lib/go/bin/go
fi

say "fetching Go $version ($module) from the Go module proxy with $("$bootstrap" version)"
mkdir -p "$(dirname "$cache")"
tmp="$(mktemp -d "$(dirname "$cache")/.go-$version.XXXXXX")"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# outside any module; GOFLAGS=-modcacherw leaves the extracted tree writable so it can be moved
dir="$(cd "$tmp" && GOTOOLCHAIN=local GOMODCACHE="$tmp/mod" GOPATH="$tmp/gopath" GOFLAGS=-modcacherw \
  "$bootstrap" mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -n "$dir" && -f "$dir/bin/go" ]] || { say "download of $module gave no Go distribution"; exit 3; }
# module zips carry no file modes: make the toolchain's programs executable again (as cmd/go does)
chmod +x "$dir"/bin/* "$dir"/pkg/tool/*/*
mv "$dir" "$tmp/go"
rm -rf "$cache"
mv "$tmp/go" "$cache"
GOTOOLCHAIN=local recent "$cache/bin/go" || { say "$cache/bin/go is not Go >= $min"; exit 3; }
say "installed $("$cache/bin/go" version) into $cache"
echo "$cache/bin/go"
