#!/usr/bin/env bash
# scripts/bench/coldstart-bench.sh — cold-start proxy and bootstrap size (issue 15 item 3).
#
# Usage:  scripts/bench/coldstart-bench.sh [RUNS=15] [OURS_ZIP] [PEER_ZIP]      (run from anywhere)
#         OURS_ZIP defaults to scorer/target/lambda/rust-scorer/bootstrap.zip (./jbang build-zip@. first).
#         PEER_ZIP: the same crate built by cargo-lambda 1.9.2; with PEER_BUILD=1 and no PEER_ZIP the script
#         builds it into target-bench-coldstart/cargo-lambda (cargo-lambda from scripts/tools/cargo-lambda.sh,
#         Debian's Rust, `cargo lambda build --release --arm64 --output-format zip`: several CPU-minutes).
# Reads:  the repository; qemu-aarch64-static and the arm64 cross libc (/usr/aarch64-linux-gnu); JDK 17 + Maven.
# Writes: target-bench-coldstart/ (compiled classes, the peer's build), temp task dirs (removed).
# Prints: per-run times on stderr; on stdout, per zip: median ms from process start to the /health answer
#         posted to the fake Runtime API under qemu, bootstrap bytes, highest GLIBC symbol version, and the
#         ratio to OURS (theirs / ours: above 1 means ours starts faster), with the load average.
# Exits:  0, or non-zero if a step failed (a missing zip, a bootstrap that does not answer /health).
set -euo pipefail
runs="${1:-15}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$repo/target-bench-coldstart"
ours="${2:-$repo/scorer/target/lambda/rust-scorer/bootstrap.zip}"
peer="${3:-}"
cd "$repo"
[[ -f "$ours" ]] || { echo "error: $ours not found: run ./jbang build-zip@. first, or pass OURS_ZIP" >&2; exit 8; }

if [[ -z "$peer" && "${PEER_BUILD:-0}" == 1 ]]; then
  [[ -x scripts/tools/cargo-lambda.sh ]] || { echo "error: scripts/tools/cargo-lambda.sh missing: pass PEER_ZIP" >&2; exit 3; }
  bin="$(scripts/tools/cargo-lambda.sh)"
  echo "[coldstart] building the peer with cargo-lambda (Debian Rust, zig linker)" >&2
  # rustup's shims off PATH, the system toolchain's cargo and rustc (toolchain.md §10)
  (cd scorer && PATH="$bin:/usr/bin:/bin" RUSTC=/usr/bin/rustc CARGO=/usr/bin/cargo \
     ZIG_GLOBAL_CACHE_DIR="$build/zig-cache" CARGO_TARGET_DIR="$build/cargo-lambda" \
     nice -n 10 cargo lambda build --release --arm64 --output-format zip --lambda-dir "$build/cargo-lambda/lambda" >&2)
  peer="$build/cargo-lambda/lambda/rust-scorer/bootstrap.zip"
fi

mvn -B -q -DbuildDir="$build" test-compile dependency:build-classpath -Dmdep.outputFile="$build/cp.txt" >/dev/null
cp="$build/classes:$build/test-classes:$(cat "$build/cp.txt")"
subjects=("ours=$ours")
[[ -n "$peer" ]] && subjects+=("cargo-lambda=$peer")
java -cp "$cp" scorerci.packaging.ColdStartBench "$runs" "${subjects[@]}"
