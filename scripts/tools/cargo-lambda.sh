#!/usr/bin/env bash
# scripts/tools/cargo-lambda.sh — cargo-lambda 1.9.2, build-zip's peer in scripts/bench/zip-bench.sh.
#
# Reads:  python3 with the venv module; PyPI (the cargo-lambda 1.9.2 wheel, which pulls ziglang).
# Writes: ${XDG_CACHE_HOME:-~/.cache}/scorer-pipeline/tools/cargo-lambda-1.9.2/ (a venv), once; concurrent
#         runs wait for each other (flock); a half install is redone (the .complete marker comes last).
# Prints: the venv's bin directory on stdout (put it first on PATH, then `cargo lambda` finds it);
#         progress on stderr.
# Exits:  0, or 3 when python3/venv is missing or pip fails (its output is shown).
set -euo pipefail
version=1.9.2
dir="${XDG_CACHE_HOME:-$HOME/.cache}/scorer-pipeline/tools/cargo-lambda-$version"
if [[ ! -f "$dir/.complete" ]]; then
  mkdir -p "$(dirname "$dir")"
  exec 9>"$dir.lock"
  flock 9
  if [[ ! -f "$dir/.complete" ]]; then
    command -v python3 >/dev/null || { echo "error: python3 not found: apt-get install python3 python3-venv" >&2; exit 3; }
    echo "[cargo-lambda] installing cargo-lambda $version from PyPI into $dir (once)" >&2
    rm -rf "$dir"   # a venv is not relocatable: built in place, marked complete at the end
    if ! { python3 -m venv "$dir" && "$dir/bin/pip" install -q --disable-pip-version-check "cargo-lambda==$version"; } >&2; then
      echo "error: could not install cargo-lambda $version (see above): needs python3-venv and PyPI" >&2
      exit 3
    fi
    touch "$dir/.complete"
  fi
fi
echo "$dir/bin"
