#!/usr/bin/env bash
# scripts/tools/zizmor.sh — install zizmor (GitHub Actions security auditor) from PyPI into a private venv if missing.
#
# Reads:  ZIZMOR_VERSION (default below); python3 with venv; PyPI.
# Writes: ~/.cache/scorer-pipeline/tools/zizmor-<version>/ (a venv, cached by version, outside the repo).
# Prints: the absolute path of the zizmor executable on stdout; progress on stderr.
# Exits:  0 with the path, non-zero when the install failed.
set -euo pipefail
version="${ZIZMOR_VERSION:-1.33.1}"
dir="${SCORER_TOOLS_CACHE:-$HOME/.cache/scorer-pipeline/tools}/zizmor-${version}"
bin="$dir/venv/bin/zizmor"
if [[ -x "$bin" ]] && "$bin" --version >/dev/null 2>&1; then echo "$bin"; exit 0; fi
py="$(command -v python3)" || { echo "zizmor.sh: python3 not found; install Python 3.9+ and retry" >&2; exit 1; }
echo "zizmor.sh: installing zizmor ${version} from PyPI" >&2
# zizmor's wheel carries a native binary; a venv is not relocatable, so build it in place and
# let the --version check above decide whether a previous attempt finished.
rm -rf "$dir/venv"; mkdir -p "$dir"
"$py" -m venv "$dir/venv" >&2
"$dir/venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: "zizmor==${version}" >&2
"$bin" --version >&2
echo "$bin"
