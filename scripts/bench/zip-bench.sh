#!/usr/bin/env bash
# scripts/bench/zip-bench.sh — build-zip benchmark (issues 2, 15).
#
# Usage:  scripts/bench/zip-bench.sh [RUNS=7] [SIZE_MB=20]     (run from anywhere)
# Reads:  the repository; the scorer must have been built once (./jbang build-zip@.). Needs JDK 17 +
#         Maven, zip, the aarch64 toolchain build-zip uses, the aarch64 libraries it pads with
#         (/usr/lib/rustlib/aarch64-unknown-linux-gnu, /usr/aarch64-linux-gnu/lib), and python3-venv for
#         cargo-lambda (scripts/tools/cargo-lambda.sh installs 1.9.2 from PyPI once; without it the
#         rerun is compared with cargo only).
# Writes: target-bench-zip/ (compiled classes; cargo-lambda's own target dir and zig cache, kept between
#         runs: its first build takes minutes) and a scratch dir under ${TMPDIR:-/tmp}, removed at exit.
#         ./jbang runs from a snapshot of jbang, jbang-catalog.json and scripts/ copied there, so edits
#         in the tree during the benchmark cannot trigger a JBang rebuild; cargo uses scorer/target.
# Prints: per-run times on stderr, then medians on stdout:
#           package+verify   LambdaZipWriter.write + ZipVerifier.verify of a SIZE_MB bootstrap (the
#                            scorer padded with real aarch64 code) and the two includes, in one JVM
#           zip -X -6        Info-ZIP at the same deflate level on the same files; ratio (goal <= 1.2x)
#           rerun            wall time of a no-change `./jbang build-zip@.` (launcher + JVM + cargo + checks)
#           cargo-lambda     a no-change `cargo lambda build --release --arm64 --output-format zip`;
#                            ratio cargo-lambda/ours (goal >= 1)
#           cargo no-op      cargo's own no-op build with the same toolchain; overhead = rerun - cargo
#           no AppCDS, jbang asked   the same rerun with JBANG_LAUNCHER_CDS=off / JBANG_LAUNCHER_NO_CACHE=1
#           load average     before and after the timed runs
# Exits:  0, or non-zero if a step failed.
set -euo pipefail
runs="${1:-7}"; size="${2:-20}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$repo/target-bench-zip"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/zip-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

cd "$repo"
cargo_lambda="$(scripts/tools/cargo-lambda.sh || true)"
mvn -B -q -DbuildDir="$build" test-compile dependency:build-classpath -Dmdep.outputFile="$build/cp.txt" >/dev/null
cp="$build/classes:$build/test-classes:$(cat "$build/cp.txt")"

mkdir -p "$tmp/snapshot"
cp -r jbang jbang-catalog.json scripts "$tmp/snapshot/"
rm -rf "$tmp/snapshot/scripts/src/test"
java -cp "$cp" scorerci.zip.ZipBench "$repo" "$tmp/snapshot" "$tmp/work" "$runs" "$size" "$cargo_lambda"
