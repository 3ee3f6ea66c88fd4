#!/usr/bin/env bash
# Installs the real Pulumi toolchain the deploy contract tests run against, and prints its bin dir.
#
#   scripts/tools/pulumi.sh            # builds what is missing or stale, prints e.g. ~/.cache/scorer-pipeline/tools/pulumi-v3.276.0/bin
#
# The bin dir holds:
#   pulumi                        the CLI v3.276.0, built from the wrapper module scripts/tools/pulumi/
#   pulumi-language-yaml          the YAML language host v1.25.0, from the wrapper module scripts/tools/pulumi-yaml/
#   pulumi-resource-scorertest    the tests' provider plugin, from scripts/src/test/resources/scorerci/pulumi/provider/
#
# Nothing here is downloaded as a binary: the Pulumi CLI has no registry package, so it is built from
# the Go module proxy (toolchain.md §10). Each binary is rebuilt only when its stamp changes (tool version,
# Go version, and a hash of its module's go.mod/go.sum/sources); a build lands all or nothing (temp dir,
# then rename), and concurrent callers wait on one lock. Progress goes to stderr, the bin dir to stdout.
#
# Env: GO (default: go on PATH, else /usr/local/go/bin/go), SCORER_TOOLS_CACHE (default ~/.cache/scorer-pipeline/tools).
set -euo pipefail

PULUMI_VERSION=v3.276.0
YAML_VERSION=v1.25.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${SCORER_TOOLS_CACHE:-$HOME/.cache/scorer-pipeline/tools}/pulumi-$PULUMI_VERSION"
bin="$cache/bin"

go_bin="${GO:-}"
if [[ -z "$go_bin" ]]; then
  go_bin="$(command -v go || true)"
  [[ -n "$go_bin" ]] || go_bin=/usr/local/go/bin/go
fi
if [[ ! -x "$go_bin" ]]; then
  echo "pulumi.sh: no Go toolchain (looked for go on PATH and /usr/local/go/bin/go): install Go >= 1.26 (https://go.dev/dl) or set GO=/path/to/go" >&2
  exit 3
fi
go_version="$("$go_bin" env GOVERSION)"

mkdir -p "$bin"
exec 9>"$cache/.lock"
flock 9

# stamp NAME VERSION FILES... → the content a binary's stamp file must hold to be reused.
stamp() {
  local name="$1" version="$2"; shift 2
  { echo "$name $version $go_version"; sha256sum "$@" | sed "s|$root/||"; } | sha256sum | cut -d' ' -f1
}

# build NAME VERSION MODULE_DIR PACKAGE LDFLAGS: go build PACKAGE inside MODULE_DIR into $bin/NAME, unless its stamp matches.
build() {
  local name="$1" version="$2" dir="$3" package="$4" ldflags="$5"
  local want; want="$(stamp "$name" "$version" "$dir"/go.mod "$dir"/go.sum "$dir"/*.go)"
  if [[ -x "$bin/$name" && "$(cat "$bin/.$name.stamp" 2>/dev/null)" == "$want" ]]; then
    return 0
  fi
  echo "pulumi.sh: building $name $version with $go_version (cold: several minutes; cached afterwards)" >&2
  local tmp; tmp="$(mktemp -d "$cache/.build-$name.XXXXXX")"
  local started=$SECONDS
  # -mod=readonly: go.mod/go.sum are the pins, a build never rewrites them.
  if ! (cd "$dir" && GOFLAGS=-mod=readonly "$go_bin" build -trimpath -ldflags "$ldflags" -o "$tmp/$name" "$package" >&2); then
    rm -rf "$tmp"
    echo "pulumi.sh: building $name failed (output above); fix the module in ${dir#"$root"/} and rerun" >&2
    exit 5
  fi
  mv -f "$tmp/$name" "$bin/$name"
  rm -rf "$tmp"
  echo "$want" > "$bin/.$name.stamp"
  echo "pulumi.sh: built $name in $((SECONDS - started)) s" >&2
}

build pulumi "$PULUMI_VERSION" "$root/scripts/tools/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
build pulumi-language-yaml "$YAML_VERSION" "$root/scripts/tools/pulumi-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
  "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$YAML_VERSION"
build pulumi-resource-scorertest 0.1.0 "$root/scripts/src/test/resources/scorerci/pulumi/provider" . ""

echo "$bin"
