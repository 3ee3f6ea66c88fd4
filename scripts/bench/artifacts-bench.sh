#!/usr/bin/env bash
# scripts/bench/artifacts-bench.sh — artifact upload/download, ours vs the official client (issues 3, 15).
#
# Usage:  scripts/bench/artifacts-bench.sh [SIZES_MIB=1,200] [RUNS=5] [BIG_MIB=1024]    (from anywhere)
#         BENCH_OURS_JAVA_OPTIONS="-XX:..." adds JVM options to ours (to compare flags).
# Reads:  the repository; needs JDK 17 + Maven, Node 20 + npm (installs @actions/artifact from
#         scripts/src/test/node/artifact/package-lock.json), GNU time (/usr/bin/time).
# Writes: target-bench/ (compiled test classes) and a scratch dir under ${TMPDIR:-/tmp}, removed at exit.
#         Ours runs as users run it, `./jbang upload-artifact@.` / `download-artifact@.`, from a snapshot
#         of jbang, jbang-catalog.json and scripts/ copied into the scratch dir (edits in the tree during
#         the benchmark cannot trigger a rebuild), with the launcher's usual cache (exec line, AppCDS).
# Prints: per run: wall and CPU seconds and peak RSS of each side; then per size and operation the
#         medians: wall seconds, MiB/s, ratio official/ours (>= 1: ours at least as fast), CPU seconds
#         (user+system) and their ratio, median peak RSS of each side; the load average before and
#         after; then ours with -Xmx64m at BIG_MIB (0 skips it).
# Exits:  0, or non-zero if a step failed (the failing step's output is printed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
sizes="${1:-1,200}"; runs="${2:-5}"; big="${3:-1024}"
build="$root/target-bench"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/artifacts-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mvn -B -q -DbuildDir="$build" test-compile dependency:build-classpath -Dmdep.outputFile="$build/cp.txt" >/dev/null
cp="$build/classes:$build/test-classes:$(cat "$build/cp.txt")"
mkdir -p "$tmp/snapshot"
cp -r jbang jbang-catalog.json scripts "$tmp/snapshot/"
rm -rf "$tmp/snapshot/scripts/src/test"
java -cp "$cp" scorerci.artifacts.ArtifactsBench "$tmp/snapshot" "$sizes" "$runs" "$big" "$tmp/work"
